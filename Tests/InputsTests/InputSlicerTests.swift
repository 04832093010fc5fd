import DataModel
import Testing
@testable import Inputs

struct InputSlicerTests {
    func files(_ sizes: [Int64]) -> [InputFile] {
        sizes.enumerated().map { InputFile(path: "/f\($0.offset)", size: $0.element) }
    }

    func names(_ slices: [[InputFile]]) -> [[String]] {
        slices.map { $0.map { $0.path! } }
    }

    @Test func largestFirstToLeastLoaded() {
        let slices = InputSlicer.slice(files([1, 10, 8, 1, 9, 1]), workerCount: 2)
        // 10 -> w0; 9 -> w1; 8 -> w1 (9 < 10); then the 1s go to w0 (10, 11, 12 < 17).
        #expect(names(slices) == [["/f0", "/f1", "/f3", "/f5"], ["/f2", "/f4"]])
        #expect(slices.map { $0.reduce(0) { $0 + $1.size } } == [13, 17])
    }

    @Test func exactlyWorkerCountSlices() {
        #expect(names(InputSlicer.slice(files([5, 7]), workerCount: 4)) == [["/f1"], ["/f0"], [], []])
        #expect(InputSlicer.slice([], workerCount: 3) == [[], [], []])
        #expect(names(InputSlicer.slice(files([3, 2, 1]), workerCount: 1)) == [["/f0", "/f1", "/f2"]])
    }

    @Test func equalSizesSpreadByCount() {
        #expect(names(InputSlicer.slice(files([0, 0, 0, 0, 0]), workerCount: 2)) == [["/f0", "/f2", "/f4"], ["/f1", "/f3"]])
    }

    @Test func balancedAndDeterministic() {
        var sizes: [Int64] = []
        var x: UInt64 = 42
        for _ in 0..<200 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            sizes.append(Int64(x >> 44))
        }
        let slices = InputSlicer.slice(files(sizes), workerCount: 7)
        #expect(slices == InputSlicer.slice(files(sizes), workerCount: 7))
        #expect(slices.map(\.count).reduce(0, +) == 200)
        let loads = slices.map { $0.reduce(0) { $0 + $1.size } }
        // LPT bound: no worker exceeds the lightest one by more than the largest file.
        #expect(loads.max()! - loads.min()! <= sizes.max()!)
    }
}
