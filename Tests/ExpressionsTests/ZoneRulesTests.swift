import Testing
import DataModel
@testable import Expressions

/// A zone with Los Angeles' 2024 rules only: PST (-8h) except PDT (-7h)
/// from 2024-03-10T10:00Z to 2024-11-03T09:00Z.
struct LosAngeles2024: ZoneOffsetSource {
    static let springForward: Int64 = 1_710_064_800_000  // 2024-03-10T10:00Z
    static let fallBack: Int64 = 1_730_624_400_000  // 2024-11-03T09:00Z

    func offsetMillis(atUTC instant: Int64) -> Int64 {
        instant >= Self.springForward && instant < Self.fallBack ? -7 * 3_600_000 : -8 * 3_600_000
    }

    func nextTransition(after instant: Int64) -> Int64? {
        if instant < Self.springForward { return Self.springForward }
        if instant < Self.fallBack { return Self.fallBack }
        return nil
    }
}

func utc(_ text: String) -> Int64 { ISOTime.parse(text)! }

struct ZoneRulesTests {
    static let la = ZoneRules(id: "America/Los_Angeles", source: LosAngeles2024(), from: utc("2023-01-01"), to: utc("2026-01-01"))

    @Test(arguments: [
        ("UTC", Int64(0)), ("+05:30", 19_800_000), ("-08:00", -28_800_000), ("-0800", -28_800_000), ("+05", 18_000_000),
        ("GMT-8", -28_800_000), ("UTC+01:00", 3_600_000), ("Z", 0),
    ])
    func fixedOffsets(name: String, millis: Int64) {
        #expect(ZoneRules.fixed(named: name)?.fixedOffsetMillis == millis)
    }

    @Test(arguments: ["America/Los_Angeles", "+25:00", "05:30", "", "GMT+"])
    func notFixed(name: String) {
        #expect(ZoneRules.fixed(named: name) == nil)
    }

    @Test func offsetIds() {
        #expect(ZoneRules.fixed(named: "+5:30")?.id == "+05:30")
        #expect(ZoneRules.fixed(named: "-0800")?.id == "-08:00")
        #expect(ZoneRules.fixed(named: "GMT")?.id == "UTC")
    }

    @Test func tabulatedOffsets() {
        let la = Self.la
        #expect(la.transitions == [LosAngeles2024.springForward, LosAngeles2024.fallBack])
        #expect(la.offset(atUTC: LosAngeles2024.springForward - 1) == -8 * 3_600_000)
        #expect(la.offset(atUTC: LosAngeles2024.springForward) == -7 * 3_600_000)
        #expect(la.offset(atUTC: LosAngeles2024.fallBack) == -8 * 3_600_000)
        // Outside the table the source answers.
        #expect(la.offset(atUTC: utc("2030-07-01")) == -8 * 3_600_000)
    }

    @Test func localTimesInGapsAndOverlaps() {
        let la = Self.la
        // 02:30 on 2024-03-10 does not exist: moved forward to 03:30 PDT, refused when strict.
        #expect(la.utc(fromLocal: utc("2024-03-10T02:30:00")) == utc("2024-03-10T10:30:00"))
        #expect(la.utcStrict(fromLocal: utc("2024-03-10T02:30:00")) == nil)
        // 01:30 on 2024-11-03 happens twice: the earlier instant (PDT) wins.
        #expect(la.utc(fromLocal: utc("2024-11-03T01:30:00")) == utc("2024-11-03T08:30:00"))
        // ...unless the original instant was the later one.
        #expect(la.utc(fromLocal: utc("2024-11-03T01:30:00"), preferring: utc("2024-11-03T09:45:00")) == utc("2024-11-03T09:30:00"))
        #expect(la.utc(fromLocal: utc("2024-07-01T00:00:00")) == utc("2024-07-01T07:00:00"))
    }

    @Test func parseISOInAZone() {
        let la = Self.la
        #expect(la.parseISO("2024-07-01 12:00:00") == utc("2024-07-01T19:00:00"))
        #expect(la.parseISO("2024-07-01T12:00:00Z") == utc("2024-07-01T12:00:00"))
        #expect(la.parseISO("2024-07-01T12:00:00+02:00") == utc("2024-07-01T10:00:00"))
        #expect(la.parseISO("2024-03-10 02:30:00", strict: true) == nil)
        #expect(la.parseISO("nope") == nil)
        #expect(ZoneRules.fixed(named: "+05:30")!.parseISO("2024-01-01") == utc("2023-12-31T18:30:00"))
    }

    @Test func resolverPrefersFixedOffsets() throws {
        let resolver = ZoneResolver(name: "test") { $0 == "America/Los_Angeles" ? Self.la : nil }
        #expect(resolver.resolve("+01:00")?.fixedOffsetMillis == 3_600_000)
        #expect(resolver.resolve("America/Los_Angeles")?.id == "America/Los_Angeles")
        #expect(resolver.resolve("Mars/Olympus") == nil)
        let ctx = EvalContext(nowMillis: 0, timeZone: .utc, zoneResolver: resolver)
        #expect(throws: HengeError.self) { try ctx.zone(named: "Mars/Olympus") }
    }
}
