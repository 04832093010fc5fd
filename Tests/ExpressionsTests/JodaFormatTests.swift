import Testing
import DataModel
@testable import Expressions

struct JodaFormatTests {
    let t = utc("2000-02-03T04:05:06.789")

    @Test(arguments: [
        ("yyyy-MM-dd HH:mm:ss", "2000-02-03 04:05:06"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "2000-02-03T04:05:06.789+00:00"),
        ("yy/M/d h:m:s a", "00/2/3 4:5:6 AM"),
        ("EEEE, MMMM d", "Thursday, February 3"),
        ("EEE MMM", "Thu Feb"),
        ("D w xxxx e", "34 5 2000 4"),
        ("k K", "4 4"),
        ("SS S", "78 7"),
        ("'quoted ''text''' yyyy", "quoted 'text' 2000"),
        ("G C", "AD 20"),
    ])
    func formats(pattern: String, expected: String) {
        #expect(JodaFormat(pattern: pattern).format(t) == expected)
    }

    @Test func offsetsAndZones() {
        let kolkata = ZoneRules.fixed(named: "+05:30")!
        #expect(JodaFormat(pattern: "HH:mm Z").format(t, zone: kolkata) == "09:35 +0530")
        #expect(JodaFormat(pattern: "HH:mm ZZ").format(t, zone: kolkata) == "09:35 +05:30")
        #expect(JodaFormat(pattern: "ZZZ").format(t, zone: ZoneRulesTests.la) == "America/Los_Angeles")
        #expect(JodaFormat(pattern: "HH:mm Z").format(t, zone: .utc) == "04:05 +0000")
    }

    @Test func illegalLetters() {
        #expect(JodaFormat(pattern: "yyyy-qq").illegalComponent == "qq")
        #expect(JodaFormat(pattern: "yyyy 'qq'").illegalComponent == nil)
    }

    @Test(arguments: [
        ("2000-02-03 04:05:06", "yyyy-MM-dd HH:mm:ss", "2000-02-03T04:05:06.000Z"),
        ("02/03/2000", "MM/dd/yyyy", "2000-02-03T00:00:00.000Z"),
        ("06/Feb/2024:10:11:12 -0800", "dd/MMM/yyyy:HH:mm:ss Z", "2024-02-06T18:11:12.000Z"),
        ("20240206", "yyyyMMdd", "2024-02-06T00:00:00.000Z"),
        ("3:04 PM 2024-01-01", "h:mm a yyyy-MM-dd", "2024-01-01T15:04:00.000Z"),
        ("12:00 AM 2024-01-01", "hh:mm a yyyy-MM-dd", "2024-01-01T00:00:00.000Z"),
        ("2024-01-01 00:00:00.5", "yyyy-MM-dd HH:mm:ss.S", "2024-01-01T00:00:00.500Z"),
        ("Tuesday 2024-02-06", "EEEE yyyy-MM-dd", "2024-02-06T00:00:00.000Z"),
        ("1 Jan 24", "d MMM yy", "2024-01-01T00:00:00.000Z"),
        ("1 Jan 70", "d MMM yy", "1970-01-01T00:00:00.000Z"),
        ("1 Jan 47", "d MMM yy", "1947-01-01T00:00:00.000Z"),
        ("1 Jan 45", "d MMM yy", "2045-01-01T00:00:00.000Z"),
    ])
    func parses(text: String, pattern: String, expected: String) {
        let v = JodaFormat(pattern: pattern).parse(text, zone: .utc, pivotYear: 1996)
        #expect(v.map(ISOTime.format) == expected)
    }

    @Test(arguments: [
        ("2024-02-30", "yyyy-MM-dd"), ("2024-01-01 24:00", "yyyy-MM-dd HH:mm"), ("2024-01-01x", "yyyy-MM-dd"),
        ("2024-1-1", "yyyy-MM-dd-HH"), ("x", "yyyy"),
    ])
    func rejects(text: String, pattern: String) {
        #expect(JodaFormat(pattern: pattern).parse(text, zone: .utc) == nil)
    }

    @Test func parsingInAZoneRefusesTheGap() {
        let la = ZoneRulesTests.la
        let f = JodaFormat(pattern: "yyyy-MM-dd HH:mm")
        #expect(f.parse("2024-03-10 02:30", zone: la) == nil)
        #expect(f.parse("2024-03-10 03:30", zone: la) == utc("2024-03-10T10:30:00"))
        #expect(f.parse("2024-11-03 01:30", zone: la) == utc("2024-11-03T08:30:00"))
    }

    @Test func isoWeeks() {
        #expect(IsoWeek.of(CivilTime.daysFromCivil(2021, 1, 1)) == (2020, 53))
        #expect(IsoWeek.of(CivilTime.daysFromCivil(2024, 12, 30)) == (2025, 1))
        #expect(IsoWeek.of(CivilTime.daysFromCivil(2001, 2, 16)) == (2001, 7))
    }
}
