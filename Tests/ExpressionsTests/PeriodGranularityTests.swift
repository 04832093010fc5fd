import Testing
import DataModel
@testable import Expressions

struct PeriodGranularityTests {
    func floor(_ t: String, _ period: String, origin: String? = nil, zone: ZoneRules = .utc) throws -> String {
        let g = try PeriodGranularity(period: Period(iso: period)!, origin: origin.map(utc), zone: zone)
        return ISOTime.format(g.floor(utc(t)))
    }

    @Test(arguments: [
        ("2000-02-03T04:05:06", "P1M", "2000-02-01T00:00:00.000Z"),
        ("2000-02-03T04:05:06", "PT1H", "2000-02-03T04:00:00.000Z"),
        ("2000-02-03T04:05:06", "P1Y", "2000-01-01T00:00:00.000Z"),
        ("2024-05-17T13:00:00", "P3M", "2024-04-01T00:00:00.000Z"),
        ("2024-05-17T13:00:00", "P1W", "2024-05-13T00:00:00.000Z"),
        ("2024-05-17T13:47:59", "PT15M", "2024-05-17T13:45:00.000Z"),
        ("2024-05-17T13:47:59", "PT1H30M", "2024-05-17T13:30:00.000Z"),
        ("1969-12-31T12:00:00", "P1D", "1969-12-31T00:00:00.000Z"),
        ("1969-12-31T12:00:00", "PT1H", "1969-12-31T12:00:00.000Z"),
        ("1969-05-17T00:00:00", "P1M", "1969-05-01T00:00:00.000Z"),
    ])
    func utcFloors(t: String, period: String, expected: String) throws {
        #expect(try floor(t, period) == expected)
    }

    @Test func origins() throws {
        // ExprMacroTest.testTimestampFloor: P1D with origin 1970-01-01T01 in Etc/UTC.
        #expect(try floor("2000-02-03T04:05:06", "P1D", origin: "1970-01-01T01:00:00") == "2000-02-03T01:00:00.000Z")
        #expect(try floor("2016-06-27T01:10:00", "PT1H", origin: "2016-06-27T00:30:00") == "2016-06-27T00:30:00.000Z")
        #expect(try floor("2016-06-26T23:10:00", "PT1H", origin: "2016-06-27T00:30:00") == "2016-06-26T22:30:00.000Z")
    }

    /// Druid's PT<n>H rounding for instants before a UTC origin goes up (kept on purpose).
    @Test func druidHourQuirkBeforeOrigin() throws {
        #expect(try floor("1969-12-31T23:00:00", "PT2H") == "1970-01-01T00:00:00.000Z")
    }

    @Test func zonedFloors() throws {
        let la = ZoneRulesTests.la
        #expect(try floor("2024-03-10T12:00:00", "P1D", zone: la) == "2024-03-10T08:00:00.000Z")
        #expect(try floor("2024-11-03T09:30:00", "PT1H", zone: la) == "2024-11-03T09:00:00.000Z")
        #expect(try floor("2024-11-03T08:30:00", "PT1H", zone: la) == "2024-11-03T08:00:00.000Z")
        #expect(try floor("2024-04-01T06:00:00", "P1M", zone: la) == "2024-03-01T08:00:00.000Z")
        let g = try PeriodGranularity(period: Period(days: 1), origin: nil, zone: la)
        #expect(g.ceil(utc("2024-03-10T12:00:00")) == utc("2024-03-11T07:00:00"))
        #expect(g.ceil(utc("2024-11-03T12:00:00")) == utc("2024-11-04T08:00:00"))
    }

    @Test func compoundPeriodsStepFromTheOrigin() throws {
        #expect(try floor("2024-05-17T13:00:00", "P1DT12H") == "2024-05-17T00:00:00.000Z")
        #expect(try floor("1970-01-02T11:59:59", "P1DT12H") == "1970-01-01T00:00:00.000Z")
        #expect(try floor("1970-03-05T00:00:00", "P1M1D") == "1970-03-03T00:00:00.000Z")
        #expect(try floor("2024-03-11T00:00:00", "P1DT1H", zone: ZoneRulesTests.la) != "")
    }

    @Test func zeroPeriodIsRefused() {
        #expect(throws: HengeError.self) { try PeriodGranularity(period: Period(), origin: nil, zone: .utc) }
    }

    @Test func calendarDifferences() {
        let c = ZonedChronology(zone: .utc)
        #expect(c.difference(.months, utc("2000-02-29"), utc("2000-01-31")) == 1)
        #expect(c.difference(.months, utc("2000-02-28"), utc("2000-01-31")) == 0)
        #expect(c.difference(.months, utc("2000-01-20"), utc("2000-03-15")) == -1)
        #expect(c.difference(.years, utc("2001-02-28"), utc("2000-02-29")) == 1)
        #expect(c.difference(.years, utc("2001-02-27"), utc("2000-02-28")) == 0)
        #expect(c.difference(.days, utc("2000-01-02T12:00:00"), utc("2000-01-01")) == 1)
        #expect(c.add(utc("2024-01-31"), .months, 1) == utc("2024-02-29"))
        #expect(c.add(utc("2024-02-29"), .years, -4) == utc("2020-02-29"))
        #expect(c.add(utc("2024-02-29"), .years, 1) == utc("2025-02-28"))
    }
}
