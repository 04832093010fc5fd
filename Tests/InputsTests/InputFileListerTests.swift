import DataModel
import Foundation
import Testing
@testable import Inputs

struct InputFileListerTests {
    /// a.json, b.json.gz, notes.txt, sub/c.json, sub/E.JSON, sub/deeper/d.json, z/empty.json
    func makeTree() throws -> TempDirectory {
        let dir = try TempDirectory()
        try dir.write("a.json", "{}\n")
        try dir.write("b.json.gz", "xx")
        try dir.write("notes.txt", "n")
        try dir.write("sub/c.json", "{}\n{}\n")
        try dir.write("sub/E.JSON", "{}")
        try dir.write("sub/deeper/d.json", "{\"a\":1}\n")
        try dir.write("z/empty.json", "")
        return dir
    }

    func relativePaths(_ files: [InputFile], in dir: TempDirectory) -> [String] {
        files.map { String($0.path!.dropFirst(dir.path.count + 1)) }
    }

    @Test func baseDirAndFilterListRecursivelySortedByPath() throws {
        let dir = try makeTree()
        defer { dir.remove() }
        let files = try InputFileLister.list(.local(baseDir: dir.path, filter: "*.json", files: []))
        #expect(relativePaths(files, in: dir) == ["a.json", "sub/c.json", "sub/deeper/d.json", "z/empty.json"])
        #expect(files.map(\.size) == [3, 6, 8, 0])
        #expect(files[0].uri == "file:\(dir.path)/a.json")
        #expect(files[0] == InputFile(path: dir.path + "/a.json", size: 3))
    }

    @Test(arguments: [
        ("*.json.gz", ["b.json.gz"]),
        ("*.json*", ["a.json", "b.json.gz", "sub/c.json", "sub/deeper/d.json", "z/empty.json"]),
        ("?.json", ["a.json", "sub/c.json", "sub/deeper/d.json"]),
        ("*.JSON", ["sub/E.JSON"]),
        ("*", ["a.json", "b.json.gz", "notes.txt", "sub/E.JSON", "sub/c.json", "sub/deeper/d.json", "z/empty.json"]),
        ("nothing*", []),
    ])
    func filters(_ filter: String, _ expected: [String]) throws {
        let dir = try makeTree()
        defer { dir.remove() }
        let files = try InputFileLister.list(.local(baseDir: dir.path, filter: filter, files: []))
        #expect(relativePaths(files, in: dir) == expected)
    }

    @Test func filesListAbsoluteAndRelativeToBaseDir() throws {
        let dir = try makeTree()
        defer { dir.remove() }
        let files = try InputFileLister.list(.local(baseDir: nil, filter: nil, files: [dir.path + "/sub/c.json", dir.path + "/a.json"]))
        #expect(relativePaths(files, in: dir) == ["a.json", "sub/c.json"])
        let relative = try InputFileLister.list(.local(baseDir: dir.path + "/sub/", filter: nil, files: ["deeper/d.json", "./c.json"]))
        #expect(relativePaths(relative, in: dir) == ["sub/c.json", "sub/deeper/d.json"])
        #expect(relative.map(\.size) == [6, 8])
    }

    @Test func filterAndFilesCombineWithoutDuplicates() throws {
        let dir = try makeTree()
        defer { dir.remove() }
        let files = try InputFileLister.list(.local(baseDir: dir.path, filter: "?.json", files: ["notes.txt", "a.json"]))
        #expect(relativePaths(files, in: dir) == ["a.json", "notes.txt", "sub/c.json", "sub/deeper/d.json"])
    }

    @Test func missingFileNamesThePath() throws {
        let dir = try makeTree()
        defer { dir.remove() }
        let missing = dir.path + "/nope.json"
        let error = try hengeError { _ = try InputFileLister.list(.local(baseDir: nil, filter: nil, files: [dir.path + "/a.json", missing])) }
        #expect(error.code == "UnknownError")
        #expect(error.message == "Cannot read input file [\(missing)]: No such file or directory")
        let directory = try hengeError { _ = try InputFileLister.list(.local(baseDir: nil, filter: nil, files: [dir.path + "/sub"])) }
        #expect(directory.message == "Cannot read input file [\(dir.path)/sub]: Is a directory")
    }

    @Test func missingBaseDirNamesThePath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let missing = dir.path + "/no/such/dir"
        let error = try hengeError { _ = try InputFileLister.list(.local(baseDir: missing, filter: "*.json", files: [])) }
        #expect(error.code == "UnknownError")
        #expect(error.message == "Cannot list input directory [\(missing)]: No such file or directory")
    }

    @Test func emptyDirectoryListsNothing() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        #expect(try InputFileLister.list(.local(baseDir: dir.path, filter: "*.json", files: [])).isEmpty)
    }

    @Test func symbolicLinkLoopsAreWalkedOnce() throws {
        let dir = try makeTree()
        defer { dir.remove() }
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/sub/loop", withDestinationPath: dir.path + "/sub")
        let files = try InputFileLister.list(.local(baseDir: dir.path + "/sub", filter: "c.json", files: []))
        #expect(relativePaths(files, in: dir) == ["sub/c.json"])
    }

    @Test func inlineIsOneFile() throws {
        let files = try InputFileLister.list(.inline(data: "{\"é\":1}"))
        #expect(files == [InputFile(inlineData: "{\"é\":1}")])
        #expect(files[0].uri == "inline")
        #expect(files[0].path == nil)
        #expect(files[0].size == 8)
        #expect(!files[0].isGzip)
    }

    @Test func pathsAreNormalized() {
        #expect(InputFileLister.absolutePath("a/./b//c/../d/", relativeTo: "/base/") == "/base/a/b/d")
        #expect(InputFileLister.absolutePath("/x/../../y", relativeTo: "/ignored") == "/y")
    }

    @Test(arguments: [
        ("*.json", "a.json", true), ("*.json", "a.json.gz", false), ("*.json", ".json", true),
        ("a?c", "abc", true), ("a?c", "ac", false), ("*a*b*", "xaybz", true), ("*a*b", "ab_a", false),
        ("**", "", true), ("", "", true), ("", "x", false), ("x", "X", false), ("é*", "éa", true),
    ])
    func wildcard(_ pattern: String, _ name: String, _ matches: Bool) {
        #expect(WildcardFilter(pattern).matches(name) == matches)
    }
}
