package import DataModel

/// Turns an input source spec into the concrete list of files to read.
package enum InputFileLister {
    /// Lists the files of `source`, sorted by path (byte order).
    ///
    /// - `inline`: one file holding the data.
    /// - `local`: every entry of `files` (absolute, or relative to `baseDir`
    ///   when that is given, else to the working directory), plus, with
    ///   `baseDir`, every regular file below it (recursively, like Druid's
    ///   `LocalInputSource`) whose name matches `filter` (`*` when absent).
    ///   Duplicates are listed once. An empty listing is not an error.
    ///
    /// Throws `UnknownError` naming the path when a listed file or the base
    /// directory does not exist or cannot be read.
    ///
    /// `policy` refuses local files outside its directories (after resolving
    /// symbolic links) with `invalidInput`.
    package static func list(_ source: InputSourceSpec, policy: InputAccessPolicy = InputAccessPolicy()) throws(HengeError)
        -> [InputFile]
    {
        switch source {
        case .inline(let data):
            return [InputFile(inlineData: data)]
        case .http(let spec):
            return spec.uris.map { url in
                InputFile(http: HTTPLocation(url: url, username: spec.username, password: spec.password,
                                             headerNames: spec.headerNames, headerValues: spec.headerValues))
            }
        case .local(let baseDir, let filter, let files, _):
            let listed = try listLocal(baseDir: baseDir, filter: filter, files: files)
            if policy.allowedLocalDirectories != nil {
                if let baseDir { try policy.checkLocal(resolvedPath: resolved(absolutePath(baseDir, relativeTo: POSIX.currentDirectory())), asGiven: baseDir) }
                for file in listed { try policy.checkLocal(resolvedPath: resolved(file.path!), asGiven: file.path!) }
            }
            return listed
        }
    }

    /// The path through symbolic links (itself when it cannot be resolved).
    private static func resolved(_ path: String) -> String { POSIX.realPath(path) ?? path }

    /// Checks, before any file is listed, that a local source stays within
    /// the policy's directories (for refusing a statement at submit).
    package static func checkAccess(_ source: InputSourceSpec, policy: InputAccessPolicy) throws(HengeError) {
        guard case .local(let baseDir, _, let files, _) = source, policy.allowedLocalDirectories != nil else { return }
        let cwd = POSIX.currentDirectory()
        let base = baseDir.map { absolutePath($0, relativeTo: cwd) }
        if let baseDir, let base { try policy.checkLocal(resolvedPath: resolved(base), asGiven: baseDir) }
        for file in files {
            try policy.checkLocal(resolvedPath: resolved(absolutePath(file, relativeTo: base ?? cwd)), asGiven: file)
        }
    }

    private static func listLocal(baseDir: String?, filter: String?, files: [String]) throws(HengeError) -> [InputFile] {
        var byPath: [String: InputFile] = [:]
        let base = baseDir.map { absolutePath($0, relativeTo: POSIX.currentDirectory()) }
        if let base, filter != nil || files.isEmpty {
            let wildcard = WildcardFilter(filter ?? "*")
            var visited = Set<DirectoryID>()
            try walk(base, wildcard, &visited, into: &byPath)
        }
        for file in files {
            let path = absolutePath(file, relativeTo: base ?? POSIX.currentDirectory())
            byPath[path] = try regularFile(at: path)
        }
        return byPath.values.sorted { $0.path!.utf8.lexicographicallyPrecedes($1.path!.utf8) }
    }

    /// Identity of a directory, to avoid looping through symbolic links.
    private struct DirectoryID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private static func walk(
        _ directory: String, _ filter: WildcardFilter, _ visited: inout Set<DirectoryID>,
        into out: inout [String: InputFile]
    ) throws(HengeError) {
        let status: POSIX.FileStatus
        switch POSIX.status(directory) {
        case .success(let s): status = s
        case .failure(let f):
            throw HengeError.fault("UnknownError", "Cannot list input directory [\(directory)]: \(f.text)")
        }
        guard status.isDirectory else {
            throw HengeError.fault("UnknownError", "Cannot list input directory [\(directory)]: Not a directory")
        }
        guard visited.insert(DirectoryID(device: status.device, inode: status.inode)).inserted else { return }
        let names: [String]
        switch POSIX.directoryEntries(directory) {
        case .success(let n): names = n
        case .failure(let f):
            throw HengeError.fault("UnknownError", "Cannot list input directory [\(directory)]: \(f.text)")
        }
        for name in names {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            // Entries that vanish or dangle between listing and stat are skipped.
            guard case .success(let entry) = POSIX.status(path) else { continue }
            if entry.isDirectory {
                try walk(path, filter, &visited, into: &out)
            } else if entry.isRegularFile && filter.matches(name) {
                out[path] = InputFile(path: path, size: entry.size)
            }
        }
    }

    private static func regularFile(at path: String) throws(HengeError) -> InputFile {
        switch POSIX.status(path) {
        case .success(let s) where s.isRegularFile:
            return InputFile(path: path, size: s.size)
        case .success(let s):
            let what = s.isDirectory ? "Is a directory" : "Not a regular file"
            throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(what)")
        case .failure(let f):
            throw HengeError.fault("UnknownError", "Cannot read input file [\(path)]: \(f.text)")
        }
    }

    /// `path` made absolute against `base` and normalized lexically
    /// (no `.`, `..`, empty or trailing components).
    static func absolutePath(_ path: String, relativeTo base: String) -> String {
        let full = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
