package import DataModel

/// What external input a server may read, set by the operator (`henge serve
/// --allow-http-host`, `--allow-local-dir`).
///
/// - http: public addresses always; loopback, private, link-local and
///   cloud-metadata addresses only for `allowedHTTPHosts` (host names or IP
///   literals as written in URIs). See `AddressPolicy`.
/// - local: only files below `allowedLocalDirectories` (resolved through
///   symbolic links before the check); nil allows any path (library use and
///   unit tests; the server always sets a list).
package struct InputAccessPolicy: Hashable, Sendable {
    package var allowedHTTPHosts: Set<String>
    package var allowedLocalDirectories: [String]?

    package init(allowedHTTPHosts: Set<String> = [], allowedLocalDirectories: [String]? = nil) {
        self.allowedHTTPHosts = Set(allowedHTTPHosts.map { $0.lowercased() })
        self.allowedLocalDirectories = allowedLocalDirectories.map { dirs in dirs.map { POSIX.realPath($0) ?? $0 } }
    }

    /// Refuses a local path outside the allowed directories. `path` must
    /// already be resolved through symbolic links.
    package func checkLocal(resolvedPath path: String, asGiven: String) throws(HengeError) {
        guard let dirs = allowedLocalDirectories else { return }
        for dir in dirs {
            let prefix = dir.hasSuffix("/") ? dir : dir + "/"
            if path == dir || path.hasPrefix(prefix) { return }
        }
        throw HengeError.invalidInput(
            "Cannot read local input [\(asGiven)]: it is outside the directories this server may read "
                + "(\(dirs.joined(separator: ", "))); the operator can allow a directory with `henge serve --allow-local-dir DIR`")
    }
}
