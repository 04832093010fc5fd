// henge-input-bench: how fast `Inputs.ExternalReader` turns files into Batches.
//
//   henge-input-bench --format json|csv [--workers N] [--batch-size N] [--repeat N] [--inflater best|zlib] [--verify] FILE...
//
// Reads the files with the nycflights13 signature (20 columns, timestamps as
// STRING) the way a scan stage would: several files are balanced across the
// workers by size (`InputSlicer`), one big uncompressed file is cut into byte
// ranges at line boundaries (`InputFile.splitByteRanges`); each worker reads on
// its own thread. Prints rows, bytes, wall and CPU seconds (getrusage), MB/s and
// rows per CPU-second, and one machine-readable `RESULT` line (the best wall and
// the best CPU time over the runs).
// A benchmark, not a test: the numbers depend on the machine and on what else runs.
import DataModel
import Inputs

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The flights signature: bench/ingest_flights.sh and tests/differential/conftest.py.
enum Flights {
    static let columns: [(String, ColumnType)] = [
    ("timestamp", .string), ("year", .long), ("month", .long), ("day", .long), ("dep_time", .long),
    ("sched_dep_time", .long), ("dep_delay", .long), ("arr_time", .long), ("sched_arr_time", .long),
    ("arr_delay", .long), ("carrier", .string), ("flight", .long), ("tailnum", .string), ("origin", .string),
    ("dest", .string), ("air_time", .long), ("distance", .long), ("hour", .long), ("minute", .long),
    ("time_hour", .string),
    ]
}

struct Options {
    var format = "json"
    var workers = 1
    var batchSize = 4096
    var repeats = 1
    var inflater = GzipInflater.best
    /// Read only these columns (as a scan with pruned columns does); nil: all.
    var columns: [String]? = nil
    /// Hash every value of every batch (slow; to compare two builds' output).
    var verify = false
    var paths: [String] = []
}

func usage<T>(_: T.Type = T.self) -> T {
    print("usage: henge-input-bench --format json|csv [--workers N] [--batch-size N] [--repeat N] [--inflater best|zlib] [--columns a,b,...] [--verify] FILE...")
    exit(2)
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--format": o.format = args.popFirst() ?? usage()
        case "--workers": o.workers = Int(args.popFirst() ?? "") ?? usage()
        case "--batch-size": o.batchSize = Int(args.popFirst() ?? "") ?? usage()
        case "--repeat": o.repeats = Int(args.popFirst() ?? "") ?? usage()
        case "--verify": o.verify = true
        case "--columns": o.columns = (args.popFirst() ?? usage()).split(separator: ",").map(String.init)
        case "--inflater": o.inflater = GzipInflater(rawValue: args.popFirst() ?? "") ?? usage()
        case "-h", "--help": usage(Void.self)
        default: o.paths.append(a)
        }
    }
    guard !o.paths.isEmpty, o.workers > 0, o.batchSize > 0, o.repeats > 0, ["json", "csv"].contains(o.format) else { usage(Void.self); return o }
    return o
}

func cpuSeconds() -> Double {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
        + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

func wallSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func fileSize(_ path: String) -> Int64? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int64(st.st_size)
}

/// One worker's share and what reading it produced.
final class WorkerJob: @unchecked Sendable {
    let reader: ExternalReader
    let files: [InputFile]
    let verify: Bool
    /// With `verify`: a hash of every value in order.
    var contentHash: UInt64 = 0xCBF2_9CE4_8422_2325
    var counters = InputCounters()
    var batches = 0
    /// Dictionary entries and NULLs seen: a cheap check that the batches were built.
    var checksum: Int64 = 0
    var error: String?
    var cpu = 0.0

    init(reader: ExternalReader, files: [InputFile], verify: Bool) {
        self.reader = reader
        self.files = files
        self.verify = verify
    }

    func mix(_ bytes: some Sequence<UInt8>) {
        for b in bytes { contentHash = (contentHash ^ UInt64(b)) &* 0x100_0000_01B3 }
        contentHash = (contentHash ^ 0xFF) &* 0x100_0000_01B3
    }

    func run() {
        let start = threadCPUSeconds()
        do {
            for file in files {
                try reader.read(file, counters: &counters) { batch in
                    batches += 1
                    if verify {
                        for row in 0..<batch.rowCount {
                            for column in batch.columns { mix("\(column.value(at: row))".utf8) }
                        }
                    }
                    for column in batch.columns {
                        if case .string(let s) = column.data { checksum &+= Int64(s.dictionary.count) }
                        if let nulls = column.nulls { checksum &+= Int64(nulls.nullCount) }
                    }
                }
            }
        } catch {
            self.error = "\(error)"
        }
        cpu = threadCPUSeconds() - start
    }
}

func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Runs every job on its own thread and waits for all.
func runThreads(_ jobs: [WorkerJob]) {
    #if canImport(Darwin)
    var threads: [pthread_t?] = []
    #else
    var threads: [pthread_t] = []
    #endif
    for job in jobs {
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, nil, { raw in
            #if canImport(Darwin)
            let job = Unmanaged<WorkerJob>.fromOpaque(raw).takeRetainedValue()
            #else
            let job = Unmanaged<WorkerJob>.fromOpaque(raw!).takeRetainedValue()
            #endif
            job.run()
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        threads.append(thread)
    }
    for thread in threads {
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
    }
}

func main() {
    let o = parseOptions()
    let signature = RowSignature(
        Flights.columns.filter { o.columns?.contains($0.0) ?? true }.map { ColumnSpec(name: $0.0, type: $0.1) })
    let format: InputFormatSpec = o.format == "json"
        ? .json() : .csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
    var reader = ExternalReader(format: format, signature: signature, batchSize: o.batchSize)
    reader.gzipInflater = o.inflater

    var files: [InputFile] = []
    var inputBytes: Int64 = 0
    /// Uncompressed bytes, when known (a `.gz` file's sibling without `.gz`).
    var plainBytes: Int64? = 0
    for path in o.paths {
        guard let size = fileSize(path) else {
            print("henge-input-bench: cannot stat \(path)")
            exit(2)
        }
        let file = InputFile(path: path, size: size)
        files.append(file)
        inputBytes += size
        if file.isGzip {
            if let plain = fileSize(String(path.dropLast(3))), let p = plainBytes { plainBytes = p + plain } else { plainBytes = nil }
        } else if let p = plainBytes {
            plainBytes = p + size
        }
    }
    // One big uncompressed file is cut into byte ranges; several files are balanced by size.
    if files.count == 1 && o.workers > 1 && files[0].isSplittable {
        files = files[0].splitByteRanges(parts: o.workers)
    }
    let slices = InputSlicer.slice(files, workerCount: o.workers)
    let compressed = files.contains { $0.isGzip } ? " (gzip: \(o.inflater == .zlib ? "zlib" : GzipInflater.description))" : ""
    print("henge-input-bench: format \(o.format), \(o.paths.count) file(s), \(inputBytes) bytes\(compressed),"
          + " \(o.workers) worker(s): " + slices.map { "\($0.count) slice(s)/\($0.reduce(0) { $0 + $1.size }) B" }.joined(separator: ", "))

    var best: (wall: Double, cpu: Double)? = nil
    for run in 1...o.repeats {
        let jobs = slices.map { WorkerJob(reader: reader, files: $0, verify: o.verify) }
        let (c0, w0) = (cpuSeconds(), wallSeconds())
        runThreads(jobs)
        let (c1, w1) = (cpuSeconds(), wallSeconds())
        if let failed = jobs.first(where: { $0.error != nil }) {
            print("henge-input-bench: read failed: \(failed.error!)")
            exit(1)
        }
        let rows = jobs.reduce(Int64(0)) { $0 + $1.counters.rows }
        let bytes = jobs.reduce(Int64(0)) { $0 + $1.counters.bytes }
        let batches = jobs.reduce(0) { $0 + $1.batches }
        let checksum = jobs.reduce(Int64(0)) { $0 &+ $1.checksum }
        if o.verify { print("content hash " + jobs.map { String($0.contentHash, radix: 16) }.joined(separator: " ")) }
        let (wall, cpu) = (w1 - w0, c1 - c0)
        let mbBytes = Double(plainBytes ?? bytes)
        let perWorker = jobs.map { String(format3($0.cpu)) }.joined(separator: "/")
        print("run \(run): rows \(rows)  batches \(batches)  bytes read \(bytes)  wall \(format3(wall)) s  cpu \(format3(cpu)) s"
              + " (threads \(perWorker))  \(format1(mbBytes / wall / 1e6)) MB/s  \(format1(mbBytes / cpu / 1e6)) MB/cpu-s"
              + "  \(Int(Double(rows) / cpu / 1000))k rows/cpu-s  \(Int(Double(rows) / wall / 1000))k rows/s  checksum \(checksum)")
        best = best.map { (min($0.wall, wall), min($0.cpu, cpu)) } ?? (wall, cpu)
        if run == o.repeats {
            let b = best!
            print("RESULT henge format=\(o.format) workers=\(o.workers) rows=\(rows) bytes=\(plainBytes ?? bytes)"
                  + " wall=\(format3(b.wall)) cpu=\(format3(b.cpu))")
        }
    }
}

func format3(_ v: Double) -> String { formatFixed(v, 3) }
func format1(_ v: Double) -> String { formatFixed(v, 1) }
func formatFixed(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (v * scale).rounded() / scale
    var s = "\(r)"
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

main()
