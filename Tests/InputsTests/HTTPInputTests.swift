import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import Inputs

/// The `http` input source against real HTTP servers on loopback, well
/// behaved and faulty. No test sends traffic anywhere but 127.0.0.1.
@Suite struct HTTPInputTests {
    static let sig = RowSignature([ColumnSpec(name: "s", type: .string), ColumnSpec(name: "n", type: .long)])
    static let lines = (0..<2000).map { #"{"s":"row\#($0)","n":\#($0)}"# }.joined(separator: "\n") + "\n"
    static let body = Array(lines.utf8)
    static let expected: [[ScalarValue]] = (0..<2000).map { [.string("row\($0)"), .long(Int64($0))] }

    /// A reader allowed to reach 127.0.0.1, retrying quickly.
    static func reader(allowed: Set<String> = ["127.0.0.1"]) -> ExternalReader {
        var r = ExternalReader(format: .json(), signature: sig, batchSize: 500)
        r.accessPolicy = InputAccessPolicy(allowedHTTPHosts: allowed)
        r.httpBackoffMillis = 5
        return r
    }

    static func file(_ url: String, username: String? = nil, password: PasswordSpec? = nil,
                     headers: [(String, String)] = []) -> InputFile {
        InputFile(http: HTTPLocation(url: url, username: username, password: password,
                                     headerNames: headers.map(\.0), headerValues: headers.map(\.1)))
    }

    @Test func readsJSONLinesOverHTTP() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: Self.body) }
        defer { server.stop() }
        let result = try readAll(Self.reader(), Self.file(server.url("/data/rows.json")))
        #expect(result.rows == Self.expected)
        #expect(result.counters.bytes == Int64(Self.body.count))
        #expect(result.counters.files == 1)
    }

    @Test func loopbackIsRefusedUnlessAllowed() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: Self.body) }
        defer { server.stop() }
        let error = try hengeError { _ = try readAll(Self.reader(allowed: []), Self.file(server.url("/x.json"))) }
        #expect(error.message.contains("host [127.0.0.1] resolves to loopback address [127.0.0.1]"), "\(error.message)")
        #expect(error.message.contains("--allow-http-host 127.0.0.1"))
        #expect(server.received.isEmpty, "nothing may reach the server")
        // `localhost` resolves to loopback too, and allowing 127.0.0.1 by address covers it.
        let byName = try hengeError {
            _ = try readAll(Self.reader(allowed: ["example.org"]), Self.file("http://localhost:\(server.port)/x.json"))
        }
        #expect(byName.message.contains("host [localhost] resolves to loopback address"), "\(byName.message)")
        #expect(try readAll(Self.reader(), Self.file("http://localhost:\(server.port)/x.json")).rows.count == 2000)
    }

    @Test func serverErrorsAreRetriedThenSucceed() throws {
        let server = try LoopbackHTTPServer { _, seen in
            seen < 2 ? .respond(status: 503, body: Array("busy".utf8)) : .respond(status: 200, body: Self.body)
        }
        defer { server.stop() }
        #expect(try readAll(Self.reader(), Self.file(server.url("/flaky.json"))).rows == Self.expected)
        #expect(server.received.count == 3)
    }

    @Test func persistentServerErrorFailsAfterBoundedAttempts() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 500, body: []) }
        defer { server.stop() }
        let error = try hengeError { _ = try readAll(Self.reader(), Self.file(server.url("/down.json"))) }
        #expect(error.message == "Cannot read input [\(server.url("/down.json"))]: HTTP status 500 (after 4 attempts)")
        #expect(server.received.count == 4)
    }

    @Test func clientErrorsAreNotRetried() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 404, body: Array("no".utf8)) }
        defer { server.stop() }
        let error = try hengeError { _ = try readAll(Self.reader(), Self.file(server.url("/missing.json"))) }
        #expect(error.message == "Cannot read input [\(server.url("/missing.json"))]: HTTP status 404")
        #expect(server.received.count == 1)
    }

    @Test func resetMidBodyResumesWithRange() throws {
        let server = try LoopbackHTTPServer { _, seen in
            seen == 0 ? .resetAfter(bytes: 30_000, body: Self.body) : .respond(status: 200, body: Self.body, honorRange: true)
        }
        defer { server.stop() }
        #expect(try readAll(Self.reader(), Self.file(server.url("/reset.json"))).rows == Self.expected)
        let requests = server.received
        #expect(requests.count == 2)
        #expect(requests[0].headers["range"] == nil)
        #expect(requests[1].headers["range"]?.hasPrefix("bytes=") == true)
    }

    @Test func resetMidBodyWithoutRangeSupportSkipsWhatWasRead() throws {
        let server = try LoopbackHTTPServer { _, seen in
            seen == 0 ? .resetAfter(bytes: 30_000, body: Self.body) : .respond(status: 200, body: Self.body)
        }
        defer { server.stop() }
        #expect(try readAll(Self.reader(), Self.file(server.url("/reset.json"))).rows == Self.expected)
    }

    @Test func slowServerIsReadCompletely() throws {
        let small = Array(Self.lines.split(separator: "\n").prefix(100).map { $0 + "\n" }.joined().utf8)
        let server = try LoopbackHTTPServer { _, _ in .trickle(body: small, chunk: 300, delayMillis: 40) }
        defer { server.stop() }
        let rows = try readAll(Self.reader(), Self.file(server.url("/slow.json"))).rows
        #expect(rows == Array(Self.expected.prefix(100)))
    }

    @Test func gzipByURLPathAndTruncatedGzipFails() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", Self.lines)
        let gz = Array(try Data(contentsOf: URL(fileURLWithPath: try dir.gzip("rows.json"))))
        let server = try LoopbackHTTPServer { request, _ in
            .respond(status: 200, body: request.path.hasPrefix("/cut") ? Array(gz.prefix(gz.count / 2)) : gz)
        }
        defer { server.stop() }
        #expect(try readAll(Self.reader(), Self.file(server.url("/rows.json.gz?sig=abc"))).rows == Self.expected)
        let error = try hengeError { _ = try readAll(Self.reader(), Self.file(server.url("/cut/rows.json.gz"))) }
        #expect(error.message.contains(server.url("/cut/rows.json.gz")), "\(error.message)")
    }

    @Test func basicAuthWithEnvironmentPasswordAndHeaders() throws {
        setenv("HENGE_TEST_HTTP_PASSWORD", "s3cret", 1)
        let server = try LoopbackHTTPServer { request, _ in
            let expected = "Basic " + Data("alice:s3cret".utf8).base64EncodedString()
            guard request.headers["authorization"] == expected, request.headers["x-tenant"] == "blue" else {
                return .respond(status: 401, body: [])
            }
            return .respond(status: 200, body: Self.body)
        }
        defer { server.stop() }
        let file = Self.file(server.url("/auth.json"), username: "alice", password: .environment("HENGE_TEST_HTTP_PASSWORD"),
                             headers: [("X-Tenant", "blue")])
        #expect(try readAll(Self.reader(), file).rows.count == 2000)
        let missing = Self.file(server.url("/auth.json"), username: "alice", password: .environment("HENGE_NO_SUCH_VARIABLE"))
        let error = try hengeError { _ = try readAll(Self.reader(), missing) }
        #expect(error.message.contains("environment variable [HENGE_NO_SUCH_VARIABLE]"))
        let wrong = Self.file(server.url("/auth.json"), username: "alice", password: .literal("nope"))
        #expect(try hengeError { _ = try readAll(Self.reader(), wrong) }.message.hasSuffix("HTTP status 401"))
    }

    @Test func redirectsAreCheckedAgainAndOnlyToHTTP() throws {
        let server = try LoopbackHTTPServer { request, _ in
            switch request.path {
            case "/to-other-loopback": .respond(status: 302, headers: [("Location", "http://127.0.0.2:9/x.json")], body: [])
            case "/to-file": .respond(status: 302, headers: [("Location", "file:///etc/passwd")], body: [])
            case "/to-self": .respond(status: 301, headers: [("Location", "/final.json")], body: [])
            default: .respond(status: 200, body: Self.body)
            }
        }
        defer { server.stop() }
        #expect(try readAll(Self.reader(), Self.file(server.url("/to-self"))).rows.count == 2000)
        let other = try hengeError { _ = try readAll(Self.reader(), Self.file(server.url("/to-other-loopback"))) }
        #expect(other.message.contains("host [127.0.0.2] resolves to loopback address [127.0.0.2]"), "\(other.message)")
        let file = try hengeError { _ = try readAll(Self.reader(), Self.file(server.url("/to-file"))) }
        #expect(file.message.hasPrefix("Cannot read input [\(server.url("/to-file"))]:"), "\(file.message)")
        #expect(!server.received.contains { $0.path == "/etc/passwd" })
    }

    @Test func systemFieldsFillURIAndPath() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: Array(#"{"s":"a"}"#.utf8)) }
        defer { server.stop() }
        let sig = RowSignature([ColumnSpec(name: "s", type: .string), ColumnSpec(name: "__file_uri", type: .string),
                                ColumnSpec(name: "__file_path", type: .string)])
        var r = ExternalReader(format: .json(), signature: sig)
        r.accessPolicy = InputAccessPolicy(allowedHTTPHosts: ["127.0.0.1"])
        r.systemFields = [.uri, .path]
        let rows = try readAll(r, Self.file(server.url("/dir/f.json?x=1"))).rows
        #expect(rows == [[.string("a"), .string(server.url("/dir/f.json?x=1")), .string("/dir/f.json")]])
    }

    @Test func addressClassification() {
        func v4(_ s: String) -> String? { AddressPolicy.refusal(ipv4: UInt32(bigEndian: inet_addr(s))) }
        #expect(v4("127.0.0.1") == "loopback")
        #expect(v4("10.1.2.3") == "private")
        #expect(v4("172.31.255.255") == "private")
        #expect(v4("172.32.0.1") == nil)
        #expect(v4("192.168.1.1") == "private")
        #expect(v4("169.254.169.254") == "cloud metadata")
        #expect(v4("169.254.1.1") == "link-local")
        #expect(v4("100.64.0.1") == "carrier-grade NAT")
        #expect(v4("0.0.0.0") == "unspecified")
        #expect(v4("224.0.0.1") == "multicast")
        #expect(v4("8.8.8.8") == nil)
        func v6(_ s: String) -> String? {
            var a = in6_addr()
            inet_pton(AF_INET6, s, &a)
            return AddressPolicy.refusal(ipv6: withUnsafeBytes(of: a) { Array($0) })
        }
        #expect(v6("::1") == "loopback")
        #expect(v6("::ffff:127.0.0.1") == "loopback")
        #expect(v6("::ffff:8.8.8.8") == nil)
        #expect(v6("fd00:ec2::254") == "cloud metadata")
        #expect(v6("fc00::1") == "private")
        #expect(v6("fe80::1") == "link-local")
        #expect(v6("64:ff9b::a00:1") == "private")
        #expect(v6("2606:4700::1111") == nil)
    }
}
