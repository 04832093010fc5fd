package import DataModel
internal import Foundation

extension HengeEngine {
    /// Arms the failpoints named in `HENGE_FAILPOINTS` (comma-separated; test
    /// use only): when the publish path reaches one, the process kills
    /// itself with SIGKILL. Returns the names armed.
    package static func armFailpointsFromEnvironment() throws(HengeError) -> [String] {
        guard let raw = ProcessInfo.processInfo.environment["HENGE_FAILPOINTS"], !raw.isEmpty else { return [] }
        let names = raw.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        try Failpoints.arm(names) { name in
            FileHandle.standardError.write(Data("henge: failpoint [\(name)] reached: killing the process\n".utf8))
            kill(getpid(), SIGKILL)
        }
        return names
    }
}
