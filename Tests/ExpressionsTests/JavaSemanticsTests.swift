import Testing
import Foundation
import DataModel
@testable import Expressions

struct JavaSemanticsTests {
    @Test func fdlibmExp() {
        #expect(JavaNumbers.exp(1) == 2.7182818284590455)
        #expect(JavaNumbers.exp(0) == 1)
        #expect(JavaNumbers.exp(-Double.infinity) == 0)
        #expect(JavaNumbers.exp(Double.infinity) == .infinity)
        #expect(JavaNumbers.exp(1000) == .infinity)
        #expect(JavaNumbers.exp(.nan).isNaN)
        // Within one ulp of the C library everywhere else.
        var x = -700.0
        while x < 700 {
            let a = JavaNumbers.exp(x), b = Foundation.exp(x)
            #expect(abs(a - b) <= b.ulp, "exp(\(x))")
            x += 13.37
        }
    }

    @Test(arguments: [
        (2.675, 2, 2.68), (1.005, 2, 1.01), (34.56, -1, 30.0), (-2.25, 0, -2.0), (2.25, 1, 2.3), (-0.5, 0, -1.0),
        (0.04, 1, 0.0), (999.95, 1, 1000.0), (1.0e-10, 3, 0.0), (-0.04, 1, 0.0), (1.0e300, 2, 1.0e300),
    ])
    func roundHalfUp(value: Double, scale: Int, expected: Double) {
        #expect(JavaNumbers.roundHalfUp(value, scale: scale) == expected)
    }

    /// The fast path (scale, round, unscale) agrees with HALF_UP on Java's decimal.
    @Test func roundingFastPathMatchesTheDecimalRule() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -6...12, using: &rng)
            var v = Foundation.pow(10, magnitude) * (Bool.random(using: &rng) ? 1 : -1)
            if Bool.random(using: &rng) { v = (v * 1000).rounded() / 1000 + 0.0005 }
            let scale = Int.random(in: -4...8, using: &rng)
            let fast = JavaNumbers.roundHalfUp(v, scale: scale), exact = JavaNumbers.roundHalfUpExact(v, scale: scale)
            #expect(fast == exact, "round(\(v), \(scale))")
            if fast != exact { break }
        }
    }

    @Test(arguments: [
        (3.14159, 2, "3.14"), (1.5, 6, "1.500000"), (0.125, 2, "0.13"), (1234567.891, 1, "1234567.9"), (-0.001, 2, "-0.00"),
        (1e20, 0, "100000000000000000000"), (0.0001234, 6, "0.000123"),
    ])
    func fixed(value: Double, precision: Int, expected: String) {
        #expect(JavaNumbers.fixed(value, precision: precision) == expected)
    }

    @Test(arguments: [
        ("%s %,d", [ScalarValue.string("foo"), .long(1234)], "foo 1,234"),
        ("%x", [.long(25)], "19"),
        ("%x", [.long(-1)], "ffffffffffffffff"),
        ("%08.3f|%-6d|%+d", [.double(3.14159), .long(42), .long(7)], "0003.142|42    |+7"),
        ("%e", [.double(12345.678)], "1.234568e+04"),
        ("%2$s %1$s", [.string("a"), .string("b")], "b a"),
        ("%s %,d", [.string("foo")], "%s %,d; foo"),
        ("%d", [.double(1.5)], "%d; 1.5"),
        ("%q", [.long(1)], "%q; 1"),
        ("%s|%S|%b", [.null, .string("x"), .null], "null|X|false"),
        ("%,.2f", [.double(1234567.891)], "1,234,567.89"),
        ("%(d", [.long(-5)], "(5)"),
        ("100%%", [.long(1)], "100%"),
    ])
    func javaFormat(pattern: String, args: [ScalarValue], expected: String) {
        #expect(JavaFormatter.nonStrictFormat(pattern, args) == expected)
    }

    @Test func formatWithoutArgumentsIsUnchanged() {
        #expect(JavaFormatter.nonStrictFormat("%d %s", []) == "%d %s")
    }

    @Test(arguments: [
        ("-100", 10, Int64(-100)), ("EF", 16, 239), ("0xEF", 16, 239), ("+5", 10, 5), ("zz", 36, 1295),
        ("-9223372036854775808", 10, .min), ("9223372036854775807", 10, .max),
    ])
    func parseLong(text: String, radix: Int, expected: Int64) {
        #expect(StringFunctions.parseLong(text, radix: radix) == expected)
    }

    @Test(arguments: [("9223372036854775808", 10), ("", 10), ("-", 10), ("12a", 10), ("1", 1), ("1", 37), (" 1", 10)])
    func parseLongFails(text: String, radix: Int) {
        #expect(StringFunctions.parseLong(text, radix: radix) == nil)
    }

    @Test func javaStringIndexes() throws {
        #expect(StringFunctions.indexOf("oo", in: "foo", from: 0) == 1)
        #expect(StringFunctions.indexOf("", in: "abc", from: 10) == 3)
        #expect(StringFunctions.indexOf("x", in: "abc", from: -5) == -1)
        #expect(StringFunctions.indexOf("b", in: "😀b", from: 0) == 2)
        #expect(try StringFunctions.substring("héllo", 1, 3) == .string("éll"))
        #expect(try StringFunctions.substring("abc", 3, -1) == .null)
        #expect(throws: HengeError.self) { try StringFunctions.substring("abc", -1, 2) }
        #expect(StringFunctions.javaReplace("abc", "", "-") == "-a-b-c-")
    }
}
