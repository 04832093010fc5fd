internal import CCurl
internal import DataModel
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The body of one `http` input URI, streamed into the reader as it arrives
/// (libcurl's multi interface, driven by `read`): memory stays bounded by
/// what one poll delivers, never the whole body.
///
/// Failures worth retrying — connection refused or reset, timeouts, a body
/// cut short, 5xx answers — are retried up to `maxAttempts` times with
/// exponential backoff, resuming where the reader is with a `Range` request
/// (or skipping the bytes already read when the server answers the whole
/// body again). Only http and https are spoken, redirects included, and every
/// connection's address goes through `AddressPolicy` unless the host is
/// allowed by the operator.
final class HTTPByteSource: ByteSource {
    let request: HTTPRequest
    let allowedHosts: Set<String>
    let maxAttempts: Int
    let backoffMillis: Int

    private var multi: UnsafeMutableRawPointer?
    private var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// Body bytes handed to the reader so far.
    private var delivered: Int64 = 0
    /// Body bytes to drop at the start of this attempt (server ignored Range).
    private var skip: Int64 = 0
    private var sawFirstByte = false
    private var finished: CURLcode? = nil
    private var attempt = 0
    /// Set by the socket hook when it refused an address.
    fileprivate var refusedAddress: String? = nil
    private(set) var storageBytesRead: Int64 = 0

    init(_ request: HTTPRequest, allowedHosts: Set<String>, maxAttempts: Int = 4, backoffMillis: Int = 200) throws(HengeError) {
        self.request = request
        self.allowedHosts = allowedHosts
        self.maxAttempts = max(1, maxAttempts)
        self.backoffMillis = backoffMillis
        HTTPByteSource.globalInit
        try start()
    }

    deinit { stop() }

    /// curl_global_init, once per process.
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    func read(into out: UnsafeMutableRawBufferPointer) throws(HengeError) -> Int {
        while bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
            if let code = finished {
                if code == CURLE_OK { return 0 }
                try retryOrThrow(code)
                continue
            }
            try pump()
        }
        let n = min(out.count, buffer.count - bufferStart)
        buffer.withUnsafeBytes { src in out.baseAddress!.copyMemory(from: src.baseAddress! + bufferStart, byteCount: n) }
        bufferStart += n
        delivered += Int64(n)
        return n
    }

    /// Lets curl move the transfer forward, waiting up to a second for the socket.
    private func pump() throws(HengeError) {
        guard let multi else { throw HengeError.defensive("http input: transfer not started") }
        var running: Int32 = 0
        let rc = curl_multi_perform(multi, &running)
        guard rc == CURLM_OK else { throw failure("libcurl multi error \(rc.rawValue)") }
        if running == 0 {
            var left: Int32 = 0
            var result = CURLE_OK
            while let message = curl_multi_info_read(multi, &left) {
                if message.pointee.msg == CURLMSG_DONE { result = henge_curl_msg_result(message) }
            }
            finished = result
            return
        }
        if bufferStart == buffer.count { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
    }

    private func retryOrThrow(_ code: CURLcode) throws(HengeError) {
        if let refused = refusedAddress { throw HengeError.fault("UnknownError", refused) }
        var status = 0
        if let easy {
            var c = 0
            _ = henge_curl_response_code(easy, &c)
            status = c
        }
        let reason = status >= 400 ? "HTTP status \(status)" : String(cString: curl_easy_strerror(code))
        let retryable = status >= 500 || (status < 400 && Self.retryableCodes.contains(code))
        guard retryable, attempt < maxAttempts else {
            throw failure(attempt > 1 ? "\(reason) (after \(attempt) attempts)" : reason)
        }
        usleep(useconds_t(backoffMillis * 1000 * (1 << min(attempt - 1, 6))))
        stop()
        try start()
    }

    /// Transport failures that a new attempt may cure.
    private static let retryableCodes: Set<CURLcode> = [
        CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
        CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_COULDNT_RESOLVE_HOST, CURLE_SSL_CONNECT_ERROR,
        CURLE_BAD_CONTENT_ENCODING, CURLE_WRITE_ERROR,
    ]

    private func failure(_ reason: String) -> HengeError {
        HengeError.fault("UnknownError", "Cannot read input [\(request.url)]: \(reason)")
    }

    /// Starts (or restarts, from `delivered`) the transfer.
    private func start() throws(HengeError) {
        attempt += 1
        finished = nil
        sawFirstByte = false
        skip = 0
        refusedAddress = nil
        guard let easy = curl_easy_init(), let multi = curl_multi_init() else { throw failure("cannot start libcurl") }
        self.easy = easy
        self.multi = multi
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = henge_curl_setopt_string(easy, CURLOPT_URL, request.url)
        _ = henge_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = henge_curl_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = henge_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
        _ = henge_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
        _ = henge_curl_setopt_long(easy, CURLOPT_FAILONERROR, 1)
        _ = henge_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = henge_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        // A server that sends nothing for a minute is treated as a dropped connection.
        _ = henge_curl_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = henge_curl_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, 60)
        // Never through a proxy from the environment: the address check must see the real peer.
        _ = henge_curl_setopt_string(easy, CURLOPT_PROXY, "")
        _ = henge_curl_setopt_string(easy, CURLOPT_USERAGENT, "henge")
        if let user = request.username {
            _ = henge_curl_setopt_string(easy, CURLOPT_USERNAME, user)
            _ = henge_curl_setopt_string(easy, CURLOPT_PASSWORD, request.password ?? "")
            _ = henge_curl_setopt_long(easy, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC
        }
        if headerList != nil { curl_slist_free_all(headerList); headerList = nil }
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        if let headerList { _ = henge_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) }
        if delivered > 0 { _ = henge_curl_setopt_string(easy, CURLOPT_RANGE, "\(delivered)-") }
        _ = henge_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = henge_curl_setopt_write(easy, { data, size, count, context in
            let source = Unmanaged<HTTPByteSource>.fromOpaque(context!).takeUnretainedValue()
            return source.receive(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        _ = henge_curl_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, context)
        _ = henge_curl_setopt_opensocket(easy, { context, _, address in
            let source = Unmanaged<HTTPByteSource>.fromOpaque(context!).takeUnretainedValue()
            return source.openSocket(address!)
        })
        curl_multi_add_handle(multi, easy)
    }

    private func stop() {
        if let multi, let easy { curl_multi_remove_handle(multi, easy) }
        if let easy { curl_easy_cleanup(easy) }
        if let multi { curl_multi_cleanup(multi) }
        if let headerList { curl_slist_free_all(headerList) }
        easy = nil
        multi = nil
        headerList = nil
    }

    /// Body bytes from curl.
    fileprivate func receive(_ data: UnsafeRawBufferPointer) -> Int {
        if !sawFirstByte {
            sawFirstByte = true
            var status = 0
            if let easy { _ = henge_curl_response_code(easy, &status) }
            // A resumed request answered with the whole body: drop what the reader already has.
            if delivered > 0 && status != 206 { skip = delivered }
        }
        storageBytesRead += Int64(data.count)
        var bytes = data[...]
        if skip > 0 {
            let dropped = min(Int(skip), bytes.count)
            skip -= Int64(dropped)
            bytes = bytes.dropFirst(dropped)
        }
        buffer.append(contentsOf: bytes)
        return data.count
    }

    /// Opens the socket curl asks for, unless its address is refused.
    fileprivate func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        let sa = henge_curl_sockaddr(address)!
        let numeric = AddressPolicy.text(sa)
        var host = request.host
        if let easy {
            var url: UnsafeMutablePointer<CChar>? = nil
            _ = henge_curl_effective_url(easy, &url)
            if let url { host = HTTPRequest.host(of: String(cString: url)) ?? host }
        }
        if !allowedHosts.contains(host), !allowedHosts.contains(numeric), let why = AddressPolicy.refusal(sa) {
            refusedAddress = "Cannot read input [\(request.url)]: host [\(host)] resolves to \(why) address [\(numeric)], "
                + "which http input may not reach; the operator can allow it with `henge serve --allow-http-host \(host)`"
            return CURL_SOCKET_BAD
        }
        return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    }
}

/// One GET of the `http` input source.
struct HTTPRequest: Hashable, Sendable {
    var url: String
    var username: String?
    var password: String?
    var headers: [(String, String)] = []

    /// The URL's host, lower-case, without IPv6 brackets.
    var host: String { HTTPRequest.host(of: url) ?? "" }

    static func host(of url: String) -> String? {
        let utf8 = Array(url.utf8)
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")), utf8.count > colon + 2,
              utf8[colon + 1] == UInt8(ascii: "/"), utf8[colon + 2] == UInt8(ascii: "/") else { return nil }
        var rest = Substring(String(decoding: utf8[(colon + 3)...], as: UTF8.self))
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close]).lowercased()
        }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return rest.lowercased()
    }

    static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.url == b.url && a.username == b.username && a.password == b.password
            && a.headers.map(\.0) == b.headers.map(\.0) && a.headers.map(\.1) == b.headers.map(\.1)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(url) }
}
