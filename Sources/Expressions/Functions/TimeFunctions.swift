internal import DataModel

/// Druid's time functions over TIMESTAMP (epoch millis). Time zones default
/// to `sqlTimeZone` (`EvalContext.timeZone`) and follow Joda-Time's rules
/// (`ZoneRules`, `ZonedChronology`, `PeriodGranularity`).
enum TimeFunctions {
    static let defaultFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZZ"

    static let all: [ScalarFunction] = [
        // TIME_PARSE(string[, pattern[, timezone]]) → TIMESTAMP; NULL when unparseable.
        ScalarFunction("TIME_PARSE", arity: 1...3, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            let pattern = args.count > 1 ? try constantString(args[1], "TIME_PARSE", "pattern") : nil
            let zone = args.count > 2 ? try zoneArgument(args[2], ctx) : ctx.timeZone
            let format = try pattern.map { (p: String) throws(HengeError) -> JodaFormat in try jodaFormat(p) }
            let pivot = ctx.pivotYear
            let input = types[0] == .varchar || types[0] == .null ? args[0] : StringFunctions.asText(args[0], types[0], ctx)
            guard case .string(let strings) = input.data else {
                // Numbers are parsed from their text, as Druid's asString() does.
                return try evaluateDistinct([input], rowCount: rows, resultType: .timestamp) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                    guard let s = v[0].stringValue else { return .null }
                    let t = format.map { $0.parse(s, zone: zone, pivotYear: pivot) } ?? zone.parseISO(s, strict: true)
                    return t.map(ScalarValue.long) ?? .null
                }
            }
            // Parse each dictionary entry a non-NULL row uses once (ISO text straight from its bytes), then
            // look the rows up: per entry 0 = not parsed yet, 1 = parsed into `parsed`, 2 = not a time.
            let count = strings.dictionary.count
            var parsed = [Int64](repeating: 0, count: count)
            var state = [UInt8](repeating: 0, count: count)
            var out = [Int64](repeating: 0, count: rows)
            var nulls = input.nulls ?? NullMask(count: rows)
            let inputNulls = input.nulls
            strings.dictionary.withEntries { entries in
                strings.ids.withUnsafeBufferPointer { ids in
                    for r in 0..<rows {
                        if let inputNulls, inputNulls.isNull(r) { continue }
                        let id = Int(ids[r])
                        if state[id] == 0 {
                            let t: Int64?
                            if let format {
                                t = format.parse(strings.dictionary[id], zone: zone, pivotYear: pivot)
                            } else {
                                t = zone.parseISO(bytes: entries[id], strict: true)
                            }
                            parsed[id] = t ?? 0
                            state[id] = t == nil ? 2 : 1
                        }
                        if state[id] == 1 { out[r] = parsed[id] } else { nulls.setNull(r) }
                    }
                }
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // TIME_FORMAT(ts[, pattern[, timezone]]) → VARCHAR; default pattern yyyy-MM-dd'T'HH:mm:ss.SSSZZ.
        ScalarFunction("TIME_FORMAT", arity: 1...3, returnType: { _ in .varchar }) { args, types, _, rows, ctx throws(HengeError) in
            let pattern = args.count > 1 ? try constantString(args[1], "TIME_FORMAT", "pattern") : nil
            let zone = args.count > 2 ? try zoneArgument(args[2], ctx) : ctx.timeZone
            let format = try jodaFormat(pattern ?? defaultFormat)
            let (t, nulls) = timestampValues(args[0], type: types[0], context: ctx)
            // Runs of equal output share one dictionary entry (the dictionary
            // need not be minimal, so no hashing per row).
            var ids = [Int32](repeating: 0, count: rows)
            var dictionary = StringDictionary()
            var lastT: Int64? = nil
            for r in 0..<rows where nulls?.isNull(r) != true {
                if t[r] != lastT {
                    lastT = t[r]
                    let text = format.format(t[r], zone: zone)
                    if dictionary.last != text { dictionary.append(text) }
                }
                ids[r] = Int32(dictionary.count - 1)
            }
            if dictionary.isEmpty { dictionary.append("") }
            return ColumnVector(.string(StringColumn(ids: ids, dictionary: dictionary)), nulls: nulls)
        },
        // TIME_FLOOR(ts, period[, origin[, timezone]])
        ScalarFunction("TIME_FLOOR", arity: 2...4, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            try bucket(args, types, rows, ctx, name: "timestamp_floor", ceil: false)
        },
        // TIME_CEIL(ts, period[, origin[, timezone]])
        ScalarFunction("TIME_CEIL", arity: 2...4, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            try bucket(args, types, rows, ctx, name: "timestamp_ceil", ceil: true)
        },
        // TIME_SHIFT(ts, period, step[, timezone]): adds step × period in the zone.
        ScalarFunction("TIME_SHIFT", arity: 3...4, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            let period = try periodArgument(args[1], "timestamp_shift")
            let zone = args.count > 3 ? try zoneArgument(args[3], ctx) : ctx.timeZone
            let chronology = ZonedChronology(zone: zone)
            let (t, tNulls) = timestampValues(args[0], type: types[0], context: ctx)
            let steps = args[2].longs()
            let nulls = unionMask(tNulls, args[2].numericNulls(asLong: true), count: rows)
            var out = [Int64](repeating: 0, count: rows)
            if zone.fixedOffsetMillis != nil, let millis = period.fixedMillis {
                // Fixed-length periods in a fixed-offset zone add exact millis.
                for r in 0..<rows { out[r] = t[r] &+ Int64(Int32(truncatingIfNeeded: steps[r])) &* millis }
                return ColumnVector(.long(out), nulls: nulls)
            }
            for r in 0..<rows where nulls?.isNull(r) != true {
                out[r] = chronology.add(t[r], period, Int64(Int32(truncatingIfNeeded: steps[r])))
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        ScalarFunction("MILLIS_TO_TIMESTAMP", arity: 1...1, returnType: { _ in .timestamp }) { args, _, _, _, _ throws(HengeError) in
            ColumnVector(.long(args[0].longs()), nulls: args[0].numericNulls(asLong: true))
        },
        ScalarFunction("TIMESTAMP_TO_MILLIS", arity: 1...1, returnType: { _ in .bigint }) { args, types, _, rows, ctx throws(HengeError) in
            let (t, nulls) = timestampValues(args[0], type: types[0], context: ctx)
            return ColumnVector(.long(t), nulls: nulls)
        },
        ScalarFunction("CURRENT_TIMESTAMP", arity: 0...0, returnType: { _ in .timestamp }) { _, _, _, rows, ctx throws(HengeError) in
            ColumnVector(.long([Int64](repeating: ctx.nowMillis, count: rows)))
        },
        // CURRENT_DATE: today's local midnight in sqlTimeZone.
        ScalarFunction("CURRENT_DATE", arity: 0...0, returnType: { _ in .timestamp }) { _, _, _, rows, ctx throws(HengeError) in
            let day = ZonedChronology(zone: ctx.timeZone).floorDate(ctx.nowMillis, .days)
            return ColumnVector(.long([Int64](repeating: day, count: rows)))
        },
        // TIME_EXTRACT(ts, unit[, timezone])
        ScalarFunction("TIME_EXTRACT", arity: 1...3, returnType: { _ in .bigint }) { args, types, _, rows, ctx throws(HengeError) in
            guard let unitText = args.count > 1 ? try constantString(args[1], "timestamp_extract", "unit") : "MILLISECOND" else {
                throw HengeError.invalidInput("Function[timestamp_extract] unit arg must be literal")
            }
            guard let unit = ExtractUnit(rawValue: unitText.uppercased()) else {
                throw HengeError.invalidInput("Function[timestamp_extract] unit[\(unitText)] is not supported; expected one of "
                    + ExtractUnit.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let zone = args.count > 2 ? try zoneArgument(args[2], ctx) : ctx.timeZone
            let (t, nulls) = timestampValues(args[0], type: types[0], context: ctx)
            var out = [Int64](repeating: 0, count: rows)
            if let fixed = zone.fixedOffsetMillis {
                for r in 0..<rows { out[r] = unit.extract(t[r], local: t[r] &+ fixed) }
            } else {
                for r in 0..<rows where nulls?.isNull(r) != true { out[r] = unit.extract(t[r], local: zone.local(t[r])) }
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // DATE_TRUNC(unit, ts): timestamp_floor with the unit's period in sqlTimeZone.
        ScalarFunction("DATE_TRUNC", arity: 2...2, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            let unit = try constantString(args[0], "DATE_TRUNC", "unit") ?? ""
            guard let period = dateTruncPeriods[unit.lowercased()] else {
                throw HengeError.invalidInput("Operator[DATE_TRUNC] cannot truncate to[\(unit)]")
            }
            let g = try PeriodGranularity(period: period, origin: nil, zone: ctx.timeZone)
            let (t, nulls) = timestampValues(args[1], type: types[1], context: ctx)
            var out = [Int64](repeating: 0, count: rows)
            for r in 0..<rows where nulls?.isNull(r) != true { out[r] = g.floor(t[r]) }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // TIMESTAMPADD(unit, count, ts): day-time units add exact millis; MONTH,
        // QUARTER, YEAR shift the local calendar in sqlTimeZone (timestamp_shift).
        ScalarFunction("TIMESTAMPADD", arity: 3...3, returnType: { _ in .timestamp }) { args, types, _, rows, ctx throws(HengeError) in
            let unit = try sqlUnit(args[0], "TIMESTAMPADD")
            let (t, tNulls) = timestampValues(args[2], type: types[2], context: ctx)
            let counts = args[1].longs()
            let nulls = unionMask(tNulls, args[1].numericNulls(asLong: true), count: rows)
            var out = [Int64](repeating: 0, count: rows)
            let chronology = ZonedChronology(zone: ctx.timeZone)
            for r in 0..<rows where nulls?.isNull(r) != true {
                switch unit {
                case .millis(let m): out[r] = t[r] &+ counts[r] &* m
                case .months(let m): out[r] = chronology.add(t[r], .months, counts[r] &* m)
                }
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // TIMESTAMPDIFF(unit, ts1, ts2): whole units from ts1 to ts2, truncated
        // toward zero; months counted on the local calendar of sqlTimeZone.
        ScalarFunction("TIMESTAMPDIFF", arity: 3...3, returnType: { _ in .bigint }) { args, types, _, rows, ctx throws(HengeError) in
            let unit = try sqlUnit(args[0], "TIMESTAMPDIFF")
            let (a, aNulls) = timestampValues(args[1], type: types[1], context: ctx)
            let (b, bNulls) = timestampValues(args[2], type: types[2], context: ctx)
            let nulls = unionMask(aNulls, bNulls, count: rows)
            var out = [Int64](repeating: 0, count: rows)
            let chronology = ZonedChronology(zone: ctx.timeZone)
            for r in 0..<rows where nulls?.isNull(r) != true {
                switch unit {
                case .millis(let m): out[r] = (b[r] &- a[r]) / m
                case .months(let m): out[r] = chronology.difference(.months, b[r], a[r]) / m
                }
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // TIME_IN_INTERVAL(ts, 'start/end'): start inclusive, end exclusive;
        // instants without an offset are read in sqlTimeZone.
        ScalarFunction("TIME_IN_INTERVAL", arity: 2...2, returnType: { _ in .boolean }) { args, types, _, rows, ctx throws(HengeError) in
            let text = try constantString(args[1], "TIME_IN_INTERVAL", "interval") ?? ""
            guard let interval = parseInterval(text, zone: ctx.timeZone) else {
                throw HengeError.invalidInput(
                    "Function[TIME_IN_INTERVAL] second argument must be an ISO-8601 interval, e.g. '2000-01-01/2000-02-01', but got [\(text)]")
            }
            let (t, nulls) = timestampValues(args[0], type: types[0], context: ctx)
            var out = [Int64](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = t[r] >= interval.start && t[r] < interval.end ? 1 : 0 }
            return ColumnVector(.long(out), nulls: nulls)
        },
    ]

    // MARK: arguments

    /// A literal-like argument's text (NULL → nil); Druid requires these to be
    /// literals, so a varying column is refused.
    static func constantString(_ c: ColumnVector, _ function: String, _ what: String) throws(HengeError) -> String? {
        if c.count == 0 { return nil }
        guard let v = c.constantValue else {
            throw HengeError.invalidInput("Function[\(function)] \(what) must be a literal")
        }
        return v.stringValue
    }

    static func jodaFormat(_ pattern: String) throws(HengeError) -> JodaFormat {
        if pattern.isEmpty { throw HengeError.invalidInput("Invalid pattern specification") }
        let f = JodaFormat(pattern: pattern)
        if let bad = f.illegalComponent { throw HengeError.invalidInput("Illegal pattern component: \(bad)") }
        return f
    }

    /// A time zone argument: a name, an offset, or NULL/'' for UTC.
    static func zoneArgument(_ c: ColumnVector, _ ctx: EvalContext) throws(HengeError) -> ZoneRules {
        guard let name = try constantString(c, "time zone", "argument"), !name.isEmpty else { return .utc }
        return try ctx.zone(named: name)
    }

    static func periodArgument(_ c: ColumnVector, _ function: String) throws(HengeError) -> Period {
        let text = try constantString(c, function, "period") ?? ""
        guard let p = Period(iso: text) else {
            throw HengeError.invalidInput("Invalid period['\(text)'] specified for expression[\(function)]: [Invalid format: \"\(text)\"]")
        }
        return p
    }

    /// TIME_FLOOR / TIME_CEIL.
    static func bucket(_ args: [ColumnVector], _ types: [SQLType], _ rows: Int, _ ctx: EvalContext, name: String,
                       ceil: Bool) throws(HengeError) -> ColumnVector {
        let period = try periodArgument(args[1], name)
        let zone = args.count > 3 ? try zoneArgument(args[3], ctx) : ctx.timeZone
        var origin: Int64? = nil
        if args.count > 2, args[2].count > 0 {
            guard let o = args[2].constantValue else { throw HengeError.invalidInput("Function[\(name)] origin must be a literal") }
            switch o {
            case .null: origin = nil
            case .string(let s): origin = s.isEmpty ? nil : zone.parseISO(s)
            default: origin = o.longValue
            }
        }
        let g = try PeriodGranularity(period: period, origin: origin, zone: zone)
        let (t, nulls) = timestampValues(args[0], type: types[0], context: ctx)
        var out = [Int64](repeating: 0, count: rows)
        if let step = g.fastStep, g.fastBeforeOrigin {
            // One fixed-length unit in a fixed-offset zone: plain arithmetic.
            let o = g.fastOrigin
            for r in 0..<rows {
                let start = o &+ CivilTime.floorDiv(t[r] &- o, step) &* step
                out[r] = ceil && start != t[r] ? start &+ step : start
            }
            return ColumnVector(.long(out), nulls: nulls)
        }
        // The last bucket [start, next) is reused for runs of rows inside it
        // (data is usually clustered in time).
        var lastStart = Int64.max, lastEnd = Int64.min
        for r in 0..<rows where nulls?.isNull(r) != true {
            let v = t[r]
            if !(v >= lastStart && v < lastEnd) {
                lastStart = g.floor(v)
                lastEnd = g.next(lastStart)
            }
            out[r] = ceil && lastStart != v ? lastEnd : lastStart
        }
        return ColumnVector(.long(out), nulls: nulls)
    }

    /// DateTruncOperatorConversion's units (note the plural `milliseconds`).
    static let dateTruncPeriods: [String: Period] = [
        "microseconds": Period(millis: 1), "milliseconds": Period(millis: 1), "second": Period(seconds: 1),
        "minute": Period(minutes: 1), "hour": Period(hours: 1), "day": Period(days: 1), "week": Period(weeks: 1),
        "month": Period(months: 1), "quarter": Period(months: 3), "year": Period(years: 1), "decade": Period(years: 10),
        "century": Period(years: 100), "millennium": Period(years: 1000),
    ]

    enum SQLUnit { case millis(Int64), months(Int64) }

    /// A TIMESTAMPADD / TIMESTAMPDIFF unit (SQL_TSI_ prefixes accepted).
    static func sqlUnit(_ c: ColumnVector, _ function: String) throws(HengeError) -> SQLUnit {
        var unit = (try constantString(c, function, "unit") ?? "").uppercased()
        if unit.hasPrefix("SQL_TSI_") { unit = String(unit.dropFirst(8)) }
        switch unit {
        case "MILLISECOND": return .millis(1)
        case "SECOND": return .millis(1000)
        case "MINUTE": return .millis(60_000)
        case "HOUR": return .millis(3_600_000)
        case "DAY": return .millis(86_400_000)
        case "WEEK": return .millis(604_800_000)
        case "MONTH": return .months(1)
        case "QUARTER": return .months(3)
        case "YEAR": return .months(12)
        default: throw HengeError.invalidInput("\(function) does not support the time unit [\(unit)]")
        }
    }

    /// `start/end`, `start/period` or `period/end`.
    static func parseInterval(_ text: String, zone: ZoneRules) -> (start: Int64, end: Int64)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        let chronology = ZonedChronology(zone: zone)
        if parts[0].hasPrefix("P") {
            guard let p = Period(iso: parts[0]), let end = zone.parseISO(parts[1]) else { return nil }
            return (chronology.add(end, p, -1), end)
        }
        guard let start = zone.parseISO(parts[0]) else { return nil }
        if parts[1].hasPrefix("P") {
            guard let p = Period(iso: parts[1]) else { return nil }
            return (start, chronology.add(start, p, 1))
        }
        guard let end = zone.parseISO(parts[1]), end >= start else { return nil }
        return (start, end)
    }
}

/// TIME_EXTRACT / EXTRACT units (Druid's `TimestampExtractExprMacro.Unit`).
enum ExtractUnit: String, CaseIterable {
    case epoch = "EPOCH", microsecond = "MICROSECOND", millisecond = "MILLISECOND", second = "SECOND", minute = "MINUTE"
    case hour = "HOUR", day = "DAY", dow = "DOW", isodow = "ISODOW", doy = "DOY", week = "WEEK", month = "MONTH"
    case quarter = "QUARTER", year = "YEAR", isoyear = "ISOYEAR", decade = "DECADE", century = "CENTURY"
    case millennium = "MILLENNIUM"

    /// The field of instant `t` whose local wall-clock time is `local`.
    @inline(__always)
    func extract(_ t: Int64, local: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let days = CivilTime.floorDiv(local, day)
        let ms = local &- days &* day
        switch self {
        case .epoch: return t / 1000
        case .microsecond: return t / 1000 / 1000
        case .millisecond: return ms % 1000
        case .second: return ms / 1000 % 60
        case .minute: return ms / 60_000 % 60
        case .hour: return ms / 3_600_000
        case .dow, .isodow: return ((days % 7) + 7 + 3) % 7 + 1
        case .week: return Int64(IsoWeek.of(days).week)
        case .isoyear: return Int64(IsoWeek.of(days).year)
        default: break
        }
        let (y, m, d) = CivilTime.civilFromDays(days)
        switch self {
        case .day: return Int64(d)
        case .doy: return days - CivilTime.daysFromCivil(y, 1, 1) + 1
        case .month: return Int64(m)
        case .quarter: return Int64((m - 1) / 3 + 1)
        case .year: return Int64(y)
        case .decade: return Int64(y / 10)
        case .century: return Int64((Double(y) / 100).rounded(.up))
        case .millennium: return Int64((Double(y) / 1000).rounded(.up))
        default: return 0
        }
    }
}
