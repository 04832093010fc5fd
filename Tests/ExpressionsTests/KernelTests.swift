import Testing
import DataModel
@testable import Expressions

struct KernelTests {
    let ctx = EvalContext(nowMillis: 0)

    func call(_ name: String, _ args: [ColumnVector], _ types: [SQLType], rows: Int) throws -> ColumnVector {
        let f = FunctionRegistry.functions[name]!
        let result = try f.returnType(types)
        return try f.kernel(args, types, result, rows, ctx)
    }

    /// A filtered batch keeps unused dictionary entries; they must not be evaluated.
    @Test func distinctEvaluationSkipsUnusedEntries() throws {
        var nulls = NullMask(count: 3)
        nulls.setNull(1)
        let strings = ColumnVector(.string(StringColumn(ids: [0, 0, 2], dictionary: ["foo", "f(.o)-unused", "bar"])), nulls: nulls)
        let pattern = ColumnVector.constant(.string("f(.o)"), type: .string, count: 3)
        let group = ColumnVector.constant(.long(2), type: .long, count: 3)
        // Group 2 does not exist: only a matching row raises it.
        #expect(throws: HengeError.self) { try call("REGEXP_EXTRACT", [strings, pattern, group], [.varchar, .varchar, .bigint], rows: 3) }
        let upper = try call("UPPER", [strings], [.varchar], rows: 3)
        #expect((0..<3).map { upper.value(at: $0) } == [.string("FOO"), .null, .string("BAR")])
        let length = try call("LENGTH", [strings], [.varchar], rows: 3)
        #expect((0..<3).map { length.value(at: $0) } == [.long(3), .null, .long(3)])
    }

    @Test func nullInputWithNonNullResult() throws {
        var nulls = NullMask(count: 2)
        nulls.setNull(0)
        let strings = ColumnVector(.string(StringColumn(ids: [0, 0], dictionary: ["foobar"])), nulls: nulls)
        let needle = ColumnVector.constant(.string("oba"), type: .string, count: 2)
        let r = try call("CONTAINS_STRING", [strings, needle], [.varchar, .varchar], rows: 2)
        #expect((0..<2).map { r.value(at: $0) } == [.long(0), .long(1)])
    }

    @Test func integerDivisionByZeroSkipsNullRows() throws {
        var nulls = NullMask(count: 2)
        nulls.setNull(1)
        let a = ColumnVector(.long([6, 1]))
        let b = ColumnVector(.long([3, 0]), nulls: nulls)
        let r = try call("DIVIDE", [a, b], [.bigint, .bigint], rows: 2)
        #expect((0..<2).map { r.value(at: $0) } == [.long(2), .null])
        #expect(throws: HengeError.self) {
            try call("DIVIDE", [a, ColumnVector(.long([3, 0]))], [.bigint, .bigint], rows: 2)
        }
    }

    @Test func timeFloorOverAColumn() throws {
        let t = ColumnVector(.long([utc("2024-05-17T13:47:00"), utc("2024-05-17T13:59:00"), utc("2024-05-18T00:00:00")]))
        let period = ColumnVector.constant(.string("P1D"), type: .string, count: 3)
        let r = try call("TIME_FLOOR", [t, period], [.timestamp, .varchar], rows: 3)
        #expect(r.longs() == [utc("2024-05-17"), utc("2024-05-17"), utc("2024-05-18")])
    }
}
