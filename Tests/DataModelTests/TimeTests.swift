import Testing
import DataModel

struct TimeTests {
    @Test(arguments: [
        ("2016-06-27T00:00:11.080Z", Int64(1_466_985_611_080)),
        ("1970-01-01T00:00:00.000Z", Int64(0)),
        ("1969-12-31T23:59:59.999Z", Int64(-1)),
        ("2000-02-29T12:00:00.000Z", Int64(951_825_600_000)),
    ])
    func formatsAndParsesISO(text: String, millis: Int64) {
        #expect(ISOTime.format(millis) == text)
        #expect(ISOTime.parse(text) == millis)
    }

    @Test func parsesISOVariants() {
        #expect(ISOTime.parse("2024-01-01") == 1_704_067_200_000)
        let noon: Int64 = 1_704_067_200_000 + 12 * 3_600_000
        #expect(ISOTime.parse("2024-01-01T12") == noon)
        #expect(ISOTime.parse("2024-01-01 12:00:00") == noon)
        let shifted: Int64 = noon + 123 - 330 * 60_000
        #expect(ISOTime.parse("2024-01-01T12:00:00.123+05:30") == shifted)
        #expect(ISOTime.parse("2024-02-30") == nil)
        #expect(ISOTime.parse("yesterday") == nil)
    }

    @Test func periodsParseAndFloor() throws {
        let day = try #require(Period(iso: "P1D"))
        #expect(day.fixedMillis == 86_400_000)
        #expect(Period(iso: "PT15M")?.minutes == 15)
        #expect(Period(iso: "P3M")?.months == 3)
        #expect(Period(iso: "PT1.5S")?.millis == 500)
        #expect(Period(iso: "P") == nil)
        #expect(Period(iso: "1D") == nil)
        let t = ISOTime.parse("2016-06-27T13:45:00.500Z")!
        #expect(ISOTime.format(day.floor(t)) == "2016-06-27T00:00:00.000Z")
        #expect(ISOTime.format(Period(months: 1).floor(t)) == "2016-06-01T00:00:00.000Z")
        #expect(ISOTime.format(Period(months: 3).floor(t)) == "2016-04-01T00:00:00.000Z")
        #expect(ISOTime.format(Period(years: 1).floor(t)) == "2016-01-01T00:00:00.000Z")
        // ISO weeks start on Monday; 2016-06-27 was a Monday.
        #expect(ISOTime.format(Period(weeks: 1).floor(t + 3 * 86_400_000)) == "2016-06-27T00:00:00.000Z")
        #expect(ISOTime.format(day.floor(-1)) == "1969-12-31T00:00:00.000Z")
        #expect(ISOTime.format(Period(months: 1).add(ISOTime.parse("2016-01-31T00:00:00Z")!)) == "2016-02-29T00:00:00.000Z")
    }

    @Test func granularityNamesAndBuckets() {
        #expect(Granularity(name: "day") == .period(Period(days: 1)))
        #expect(Granularity(name: "ALL TIME") == .all)
        #expect(Granularity(nameOrPeriod: "PT1H") == .period(Period(hours: 1)))
        #expect(Granularity(nameOrPeriod: "PT2H") == nil)
        #expect(Granularity(name: "FORTNIGHT") == nil)
        let t = ISOTime.parse("2016-06-27T13:45:00Z")!
        #expect(Granularity.period(Period(hours: 1)).bucket(t).description == "2016-06-27T13:00:00.000Z/2016-06-27T14:00:00.000Z")
        #expect(Granularity.all.bucket(t) == .eternity)
        #expect(Interval.eternity.description == "-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z")
    }

    @Test func segmentIDsFollowDruid() {
        let iv = Interval(start: ISOTime.parse("2016-06-27")!, end: ISOTime.parse("2016-06-28")!)
        let id = SegmentID(dataSource: "wikipedia", interval: iv, version: "2023-06-27T10:00:03.112Z", partition: 1)
        #expect(id.description == "wikipedia_2016-06-27T00:00:00.000Z_2016-06-28T00:00:00.000Z_2023-06-27T10:00:03.112Z_1")
        var zero = id
        zero.partition = 0
        #expect(zero.description == "wikipedia_2016-06-27T00:00:00.000Z_2016-06-28T00:00:00.000Z_2023-06-27T10:00:03.112Z")
    }
}
