#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Which network addresses the `http` input source may connect to.
///
/// Loopback, private, link-local (which holds the cloud metadata address
/// 169.254.169.254), carrier-grade NAT, multicast and reserved addresses are
/// refused, so an ingestion statement cannot make the server reach into its
/// own network, unless the operator allowed the host (`henge serve
/// --allow-http-host HOST`). The check runs on the address actually being
/// connected to — after DNS, for every redirect hop — so a name that
/// resolves differently the second time gains nothing.
enum AddressPolicy {
    /// Why an address is refused, or nil when it is a public address.
    static func refusal(_ address: UnsafePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            return refusal(ipv4: v4)
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) }
            }
            return refusal(ipv6: bytes)
        default:
            return "not an IP address"
        }
    }

    /// IPv4 ranges that are not the public internet (RFC 6890).
    static func refusal(ipv4 a: UInt32) -> String? {
        func within(_ base: UInt32, _ bits: UInt32) -> Bool { bits == 0 || a >> (32 - bits) == base >> (32 - bits) }
        if within(0x7F00_0000, 8) { return "loopback" }
        if within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16) { return "private" }
        if within(0xA9FE_0000, 16) { return a == 0xA9FE_A9FE ? "cloud metadata" : "link-local" }
        if within(0x6440_0000, 10) { return "carrier-grade NAT" }
        if within(0x0000_0000, 8) { return "unspecified" }
        if within(0xC000_0000, 24) || within(0xC612_0000, 15) { return "reserved" }
        if within(0xE000_0000, 4) { return "multicast" }
        if within(0xF000_0000, 4) { return "reserved" }
        return nil
    }

    /// IPv6 ranges that are not the public internet; IPv4-mapped and NAT64
    /// addresses are judged by the IPv4 address they carry.
    static func refusal(ipv6 b: [UInt8]) -> String? {
        precondition(b.count == 16)
        let embeddedV4 = UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15])
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return refusal(ipv4: embeddedV4) }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return refusal(ipv4: embeddedV4)
        }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? "loopback" : "unspecified" }
        if b[0] & 0xFE == 0xFC { return b == metadataV6 ? "cloud metadata" : "private" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "link-local" }
        if b[0] == 0xFF { return "multicast" }
        return nil
    }

    /// AWS's IPv6 instance metadata address, fd00:ec2::254.
    static let metadataV6: [UInt8] = [0xFD, 0x00, 0x0E, 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54]

    /// The numeric text of an address (`127.0.0.1`, `::1`).
    static func text(_ address: UnsafePointer<sockaddr>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                var a = p.pointee.sin_addr
                _ = inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count))
            }
        case AF_INET6:
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                var a = p.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count))
            }
        default: return "?"
        }
        return String(cString: buffer)
    }
}
