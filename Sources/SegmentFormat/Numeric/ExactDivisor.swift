/// Division by a constant known to divide exactly, as multiplications
/// (Granlund and Montgomery): `d = 2^k * m` with `m` odd; `x` is a multiple
/// of `d` when its low `k` bits are 0 and `(x >> k) * m⁻¹ mod 2^64` is at
/// most `UInt64.max / m`, and that product is then `x / d`.
struct ExactDivisor {
    private let shift: UInt64
    private let inverse: UInt64
    private let limit: UInt64

    /// - Precondition: `d > 0`.
    init(_ d: UInt64) {
        precondition(d > 0, "ExactDivisor: divisor 0")
        shift = UInt64(d.trailingZeroBitCount)
        let m = d >> shift
        var inv = m  // Newton's iteration doubles the correct low bits: 3, 6, 12, 24, 48, 96
        for _ in 0..<5 { inv = inv &* (2 &- m &* inv) }
        inverse = inv
        limit = UInt64.max / m
    }

    @inline(__always)
    func divides(_ x: UInt64) -> Bool {
        x & ((1 &<< shift) &- 1) == 0 && (x >> shift) &* inverse <= limit
    }

    /// `x / d` for a multiple `x` of `d`.
    @inline(__always)
    func quotient(_ x: UInt64) -> UInt64 { (x >> shift) &* inverse }
}
