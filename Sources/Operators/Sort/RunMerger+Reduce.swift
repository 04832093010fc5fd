package import DataModel
package import SegmentFormat

extension RunMerger {
    /// Merges groups of consecutive runs (`SortPlan.groups`) into run files
    /// (in `directory`) until at most `fanIn` runs remain, so that one final
    /// merge holds at most `fanIn` frames. Returns the runs, in order, and
    /// the files written (the caller deletes them when done); run order is
    /// kept, so ties still come out in the original order.
    package static func reduce(_ runs: [SortedRun], signature: RowSignature, keys: [SortColumn], limits: SortLimits, directory: String,
                               name: String, checkCanceled: () throws(HengeError) -> Void) throws(HengeError)
        -> (runs: [SortedRun], files: [RunFile]) {
        var current = runs
        var files: [RunFile] = []
        var counter = 0
        do throws(HengeError) {
            while current.count > limits.fanIn {
                var next: [SortedRun] = []
                var start = 0
                for size in SortPlan.groups(runs: current.count, fanIn: limits.fanIn, maxRuns: limits.fanIn) {
                    let group = Array(current[start..<(start + size)])
                    start += size
                    if group.count == 1 {
                        next.append(group[0])
                        continue
                    }
                    counter += 1
                    let writer = try RunFileWriter(path: "\(directory)/\(name)-\(counter).run", signature: signature)
                    do throws(HengeError) {
                        writer.beginSection(0)
                        var merger = try RunMerger(group, signature: signature, keys: keys, batchRows: limits.rowsPerFrame)
                        while let b = try merger.next() {
                            try checkCanceled()
                            try writer.write(b)
                        }
                        let file = try writer.finish()
                        files.append(file)
                        next.append(.file(file, key: 0))
                    } catch {
                        writer.abandon()
                        throw error
                    }
                }
                current = next + Array(current[start...])
            }
        } catch {
            for f in files { f.delete() }
            throw error
        }
        return (current, files)
    }
}
