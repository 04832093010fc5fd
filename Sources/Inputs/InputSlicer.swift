/// Distributes whole input files across the workers of an input stage.
package enum InputSlicer {
    /// Balances `files` across `workerCount` workers by size.
    ///
    /// Greedy longest-processing-time: files from largest to smallest (ties
    /// in input order) each go to the least-loaded worker (ties: fewer
    /// files, then lower worker number). Deterministic. Returns exactly
    /// `workerCount` lists, some possibly empty; each keeps the files in
    /// their input order.
    package static func slice(_ files: [InputFile], workerCount: Int) -> [[InputFile]] {
        precondition(workerCount > 0, "InputSlicer.slice: workerCount must be positive")
        let order = files.indices.sorted { a, b in
            files[a].size != files[b].size ? files[a].size > files[b].size : a < b
        }
        var loads = [Int64](repeating: 0, count: workerCount)
        var assigned = [[Int]](repeating: [], count: workerCount)
        for index in order {
            var best = 0
            for w in 1..<workerCount {
                if loads[w] < loads[best] || (loads[w] == loads[best] && assigned[w].count < assigned[best].count) {
                    best = w
                }
            }
            assigned[best].append(index)
            loads[best] += files[index].size
        }
        return assigned.map { $0.sorted().map { files[$0] } }
    }
}
