package import DataModel

/// What an expression may read besides its input: the query's start time
/// (for `CURRENT_TIMESTAMP`), the `sqlTimeZone`, and how to look up the zones
/// functions name. Passed in; never read from a clock or the file system.
package struct EvalContext: Sendable, Hashable {
    /// Query start time, epoch millis.
    package var nowMillis: Int64
    /// `sqlTimeZone` (UTC by default).
    package var timeZone: ZoneRules
    /// Resolves zone names given to functions (`TIME_FORMAT(t, f, 'Asia/Kolkata')`).
    package var zoneResolver: ZoneResolver
    /// `groupByEnableMultiValueUnnesting` (default true): whether grouping on
    /// a multi-value string unnests it or fails, as Druid's groupBy does.
    package var multiValueUnnesting = true

    package init(nowMillis: Int64, timeZone: ZoneRules = .utc, zoneResolver: ZoneResolver = .fixedOffsetsOnly) {
        self.nowMillis = nowMillis
        self.timeZone = timeZone
        self.zoneResolver = zoneResolver
    }

    /// A context with a fixed-offset `sqlTimeZone`.
    package init(nowMillis: Int64, timeZoneOffsetMillis: Int64) {
        self.init(nowMillis: nowMillis,
                  timeZone: timeZoneOffsetMillis == 0 ? .utc : ZoneRules(id: ZoneRules.offsetID(timeZoneOffsetMillis),
                                                                         fixedOffsetMillis: timeZoneOffsetMillis))
    }

    /// The offset of `sqlTimeZone` at the query's start time. Exact only for
    /// fixed-offset zones; prefer `timeZone` (named zones change offset).
    package var timeZoneOffsetMillis: Int64 {
        timeZone.fixedOffsetMillis ?? timeZone.offset(atUTC: nowMillis)
    }

    /// The zone a function argument names. Unknown names are refused as
    /// Joda-Time refuses them.
    package func zone(named name: String) throws(HengeError) -> ZoneRules {
        if let z = zoneResolver.resolve(name) { return z }
        throw HengeError.invalidInput("The datetime zone id '\(name)' is not recognised")
    }

    /// Parses a timestamp literal or string (`2000-01-01 00:00:00`,
    /// `2000-01-01T00:00:00Z`, `2000-01-01`) in `sqlTimeZone` unless the text
    /// states an offset.
    package func parseTimestamp(_ text: String) -> Int64? {
        timeZone.parseISO(text.trimmingSpaces)
    }

    /// The year two-digit `yy` patterns pivot around (Joda: this year - 30).
    var pivotYear: Int { CivilTime(epochMillis: nowMillis).year - 30 }
}
