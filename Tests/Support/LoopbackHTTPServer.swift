import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the `http` input source tests,
/// able to misbehave on purpose: reset a connection mid-body, answer 5xx,
/// trickle bytes slowly, redirect. One thread accepts and serves connections
/// one at a time (each response closes its connection).
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// What the server does with one request.
    public enum Action: Sendable {
        /// A complete response. `honorRange` answers `Range: bytes=N-` with 206.
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8], honorRange: Bool = false)
        /// Sends the status line, headers (announcing the full length) and the
        /// first `bytes` of the body, then resets the connection.
        case resetAfter(bytes: Int, body: [UInt8])
        /// Sends the body in pieces of `chunk` bytes with `delayMillis` between them.
        case trickle(body: [UInt8], chunk: Int, delayMillis: Int)
        /// Sends the headers, then holds the body until `gate` opens: a read
        /// that lasts exactly as long as a test wants.
        case gated(body: [UInt8], gate: Gate)
    }

    /// A one-shot latch a test opens to let a `gated` response finish.
    public final class Gate: @unchecked Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        public init() {}
        public func open() { semaphore.signal() }
        func wait() { semaphore.wait() }
    }

    public struct Request: Sendable {
        public var path: String
        public var headers: [String: String]
    }

    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var requests: [Request] = []
    private let handler: @Sendable (Request, Int) -> Action
    private var thread: Thread?

    /// `handler` gets the request and how many requests the same path has
    /// seen before it.
    public init(handler: @escaping @Sendable (Request, Int) -> Action) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [unowned self] in self.serve() }
        thread = t
        t.start()
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests received so far.
    public var received: [Request] { lock.withLock { requests } }

    /// Stops accepting. The descriptor is closed by the serving thread once
    /// `accept` fails, so its number cannot be reused by another server while
    /// this thread might still call `accept` on it.
    public func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                close(fd)
                return
            }
            handle(client)
        }
    }

    private func handle(_ client: Int32) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !data.containsHeaderEnd {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { close(client); return }
            data.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where line.contains(":") {
            let colon = line.firstIndex(of: ":")!
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(path: parts.count > 1 ? String(parts[1]) : "/", headers: headers)
        let seen = lock.withLock { () -> Int in
            let n = requests.filter { $0.path == request.path }.count
            requests.append(request)
            return n
        }
        switch handler(request, seen) {
        case .respond(let status, let extra, let body, let honorRange):
            var start = 0
            var code = status
            var headerLines = extra
            if honorRange, let range = headers["range"], range.hasPrefix("bytes="),
               let from = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
                start = min(from, body.count)
                code = 206
                headerLines.append(("Content-Range", "bytes \(start)-\(body.count - 1)/\(body.count)"))
            }
            let slice = Array(body[start...])
            send(client, head(code, slice.count, headerLines) + slice)
            close(client)
        case .resetAfter(let bytes, let body):
            send(client, head(200, body.count, []) + Array(body.prefix(bytes)))
            var linger = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            close(client)
        case .gated(let body, let gate):
            send(client, head(200, body.count, []))
            gate.wait()
            send(client, body)
            close(client)
        case .trickle(let body, let chunk, let delay):
            send(client, head(200, body.count, []))
            var i = 0
            while i < body.count {
                send(client, Array(body[i..<min(i + chunk, body.count)]))
                i += chunk
                usleep(useconds_t(delay * 1000))
            }
            close(client)
        }
    }

    private func head(_ status: Int, _ length: Int, _ headers: [(String, String)]) -> [UInt8] {
        var s = "HTTP/1.1 \(status) \(status == 200 ? "OK" : status == 206 ? "Partial Content" : "Status")\r\n"
        s += "Content-Length: \(length)\r\nConnection: close\r\n"
        for (k, v) in headers { s += "\(k): \(v)\r\n" }
        return Array((s + "\r\n").utf8)
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}
