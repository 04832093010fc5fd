import Testing
import DataModel

struct JSONValueTests {
    @Test func roundTripsKeepingKeyOrder() throws {
        let text = #"{"b":1,"a":[true,null,"x\ny\"z"],"c":{"d":-2.5,"e":"\u00e9\ud83d\ude00"}}"#
        let v = try JSONValue.parse(text)
        #expect(v["a"]?.arrayValue?.count == 3)
        #expect(v["c"]?["e"]?.stringValue == "é😀")
        #expect(v.serialized == #"{"b":1,"a":[true,null,"x\ny\"z"],"c":{"d":-2.5,"e":"é😀"}}"#)
    }

    @Test func rejectsMalformed() {
        #expect(throws: HengeError.self) { try JSONValue.parse("{\"a\":") }
        #expect(throws: HengeError.self) { try JSONValue.parse("[1,]") }
        #expect(throws: HengeError.self) { try JSONValue.parse("{} x") }
    }

    @Test func lenientContextGetters() throws {
        let ctx = QueryContext([("maxNumTasks", "3"), ("finalize", .bool(false)), ("flag", "true"), ("bad", "x")])
        #expect(try ctx.int("maxNumTasks") == 3)
        #expect(try ctx.bool("flag") == true)
        #expect(try ctx.bool("finalize") == false)
        #expect(throws: HengeError.self) { try ctx.int("bad") }
        #expect(try ctx.int("missing") == nil)
    }

    @Test(arguments: [(1.0, "1.0"), (0.001, "0.001"), (1e7, "1.0E7"), (1.234e-5, "1.234E-5"), (123456.789, "123456.789"), (-0.5, "-0.5"),
                      (3.75, "3.75"), (1e21, "1.0E21")])
    func formatsDoublesLikeJava(value: Double, text: String) {
        #expect(JavaDouble.format(value) == text)
    }
}

struct ScalarValueTests {
    @Test func textToNumberFollowsDruid() {
        #expect(ScalarValue.parseLong("42") == 42)
        #expect(ScalarValue.parseLong(" 7\r\n") == 7)
        #expect(ScalarValue.parseLong("1.9") == 1)
        #expect(ScalarValue.parseLong("-1.9") == -1)
        #expect(ScalarValue.parseLong("abc") == nil)
        #expect(ScalarValue.string("2.5").cast(to: .double) == .double(2.5))
        #expect(ScalarValue.string("x").cast(to: .long) == .null)
        #expect(ScalarValue.long(3).cast(to: .string) == .string("3"))
    }
}
