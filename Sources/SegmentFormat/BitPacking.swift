/// Fixed-width bit-packing of unsigned integers, LSB-first in little-endian order.
enum BitPacking {
    /// Bits needed to hold every value in `0...maxValue` (0 for `maxValue == 0`).
    static func width(forMax maxValue: UInt64) -> Int {
        64 - maxValue.leadingZeroBitCount
    }

    /// Bytes taken by `count` values of `width` bits.
    static func byteCount(count: Int, width: Int) -> Int {
        (count.multipliedReportingOverflow(by: width).partialValue + 7) / 8
    }

    /// Appends `count` values of `width` bits; `value(i)` must be below `2^width`.
    static func pack(count: Int, width: Int, into sink: inout ByteSink, _ value: (Int) -> UInt64) {
        precondition((0...64).contains(width), "BitPacking: width \(width) out of range")
        guard width > 0, count > 0 else { return }
        let total = byteCount(count: count, width: width)
        // Whole words into a scratch array (no capacity check per word), then its bytes appended at once.
        let words = [UInt64](unsafeUninitializedCapacity: (total + 7) / 8) { out, initialized in
            var acc: UInt64 = 0
            var bits = 0
            var next = 0
            for i in 0..<count {
                let v = value(i)
                assert(width == 64 || v >> UInt64(width) == 0, "BitPacking: value wider than \(width) bits")
                acc |= v &<< UInt64(bits)
                if bits &+ width >= 64 {
                    out[next] = acc.littleEndian
                    next &+= 1
                    let spill = bits &+ width &- 64
                    acc = spill == 0 ? 0 : v &>> UInt64(64 &- bits)
                    bits = spill
                } else {
                    bits &+= width
                }
            }
            if bits > 0 {
                out[next] = acc.littleEndian
                next &+= 1
            }
            initialized = next
        }
        words.withUnsafeBytes { sink.bytes.append(contentsOf: $0.prefix(total)) }
    }

    /// Decodes `count` values of `width` bits from `bytes` (exactly
    /// `byteCount(count:width:)` of them) and appends `transform(value)` to `out`.
    static func unpack<T>(
        _ bytes: UnsafeRawBufferPointer, count: Int, width: Int, into out: inout [T], _ transform: (UInt64) -> T
    ) {
        precondition((1...64).contains(width), "BitPacking: width \(width) out of range")
        precondition(bytes.count == byteCount(count: count, width: width), "BitPacking: byte count mismatch")
        // Copy into whole words, plus one zero word so a value may always read two.
        var words = [UInt64](repeating: 0, count: bytes.count / 8 + 2)
        words.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
        #if _endian(big)
        for i in words.indices { words[i] = UInt64(littleEndian: words[i]) }
        #endif
        let mask: UInt64 = width == 64 ? .max : (1 &<< UInt64(width)) &- 1
        out.reserveCapacity(out.count + count)
        words.withUnsafeBufferPointer { w in
            var bitPos = 0
            for _ in 0..<count {
                let index = bitPos &>> 6
                let shift = bitPos & 63
                var v = w[index] &>> UInt64(shift)
                if shift + width > 64 { v |= w[index + 1] &<< UInt64(64 - shift) }
                out.append(transform(v & mask))
                bitPos += width
            }
        }
    }
}

extension BitPacking {
    /// Value `index` of a packed sequence of `width`-bit values (random
    /// access; `bytes` must hold the whole sequence).
    static func value(at index: Int, width: Int, in bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard width > 0 else { return 0 }
        let bit = index * width
        var byte = bit >> 3
        let end = (bit + width + 7) >> 3
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while byte < end {
            v |= UInt64(bytes[byte]) << shift
            shift += 8
            byte += 1
            if shift == 64 { break }
        }
        let lowBits = UInt64(bit & 7)
        var result = v >> lowBits
        if width + Int(lowBits) > 64 && byte < end {
            result |= UInt64(bytes[byte]) << (64 - lowBits)
        }
        return width == 64 ? result : result & ((1 << UInt64(width)) - 1)
    }
}
