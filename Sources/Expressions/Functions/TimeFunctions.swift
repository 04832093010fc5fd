internal import DataModel

/// Druid's time functions over TIMESTAMP (epoch millis).
enum TimeFunctions {
    static let all: [ScalarFunction] = [
        // TIME_PARSE(string[, pattern[, timezone]]) → TIMESTAMP; NULL when unparseable.
        ScalarFunction("TIME_PARSE", arity: 1...3, returnType: { _ in .timestamp }) { args, _, _, rows, ctx throws(HengeError) in
            let strings = args[0].strings(type: .varchar)
            let pattern = args.count > 1 ? args[1].value(at: 0).stringValue : nil
            let offset = try args.count > 2 ? zoneOffset(args[2].value(at: 0).stringValue) : ctx.timeZoneOffsetMillis
            let format = pattern.map { JodaFormat(pattern: $0) }
            // Parse each distinct dictionary entry once.
            var parsedOK = [Bool](repeating: false, count: strings.dictionary.count)
            var parsed = [Int64](repeating: 0, count: strings.dictionary.count)
            for (i, s) in strings.dictionary.enumerated() {
                let v = format.map { $0.parse(s, defaultOffsetMillis: offset) } ?? ISOTime.parse(s, defaultOffsetMillis: offset)
                if let v { parsed[i] = v; parsedOK[i] = true }
            }
            var out = [Int64](repeating: 0, count: rows)
            var nulls = args[0].nulls ?? NullMask(count: rows)
            for r in 0..<rows {
                let id = Int(strings.ids.isEmpty ? 0 : strings.ids[r])
                if !args[0].isNull(r), id < parsed.count, parsedOK[id] { out[r] = parsed[id] } else { nulls.setNull(r) }
            }
            return ColumnVector(.long(out), nulls: nulls)
        },
        // TIME_FORMAT(ts[, pattern[, timezone]]) → VARCHAR.
        ScalarFunction("TIME_FORMAT", arity: 1...3, returnType: { _ in .varchar }) { args, _, _, rows, ctx throws(HengeError) in
            let pattern = args.count > 1 ? args[1].value(at: 0).stringValue : nil
            let offset = try args.count > 2 ? zoneOffset(args[2].value(at: 0).stringValue) : ctx.timeZoneOffsetMillis
            let format = pattern.map { JodaFormat(pattern: $0) }
            return try mapRowsStrict([args[0]], rowCount: rows, resultType: .varchar) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                let t = v[0].longValue ?? 0
                if let format { return .string(format.format(t, offsetMillis: offset)) }
                return .string(offset == 0 ? ISOTime.format(t) : JodaFormat(pattern: "yyyy-MM-dd'T'HH:mm:ss.SSSZZ").format(t, offsetMillis: offset))
            }
        },
        // TIME_FLOOR(ts, period[, origin[, timezone]])
        ScalarFunction("TIME_FLOOR", arity: 2...4, returnType: { _ in .timestamp }) { args, _, _, rows, ctx throws(HengeError) in
            let period = try periodArg(args[1])
            let t = args[0].longs()
            return ColumnVector(.long(t.map { period.floor($0) }), nulls: args[0].nulls)
        },
        ScalarFunction("TIME_CEIL", arity: 2...4, returnType: { _ in .timestamp }) { args, _, _, rows, ctx throws(HengeError) in
            let period = try periodArg(args[1])
            let t = args[0].longs()
            return ColumnVector(.long(t.map { let f = period.floor($0); return f == $0 ? f : period.add(f) }), nulls: args[0].nulls)
        },
        // TIME_SHIFT(ts, period, step[, timezone])
        ScalarFunction("TIME_SHIFT", arity: 3...4, returnType: { _ in .timestamp }) { args, _, _, rows, _ throws(HengeError) in
            let period = try periodArg(args[1])
            return try mapRowsStrict([args[0], args[2]], rowCount: rows, resultType: .timestamp) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                .long(period.add(v[0].longValue ?? 0, count: Int(v[1].longValue ?? 0)))
            }
        },
        ScalarFunction("MILLIS_TO_TIMESTAMP", arity: 1...1, returnType: { _ in .timestamp }) { args, _, _, _, _ throws(HengeError) in
            ColumnVector(.long(args[0].longs()), nulls: args[0].nulls)
        },
        ScalarFunction("TIMESTAMP_TO_MILLIS", arity: 1...1, returnType: { _ in .bigint }) { args, _, _, _, _ throws(HengeError) in
            ColumnVector(.long(args[0].longs()), nulls: args[0].nulls)
        },
        ScalarFunction("CURRENT_TIMESTAMP", arity: 0...0, returnType: { _ in .timestamp }) { _, _, _, rows, ctx throws(HengeError) in
            ColumnVector(.long([Int64](repeating: ctx.nowMillis, count: rows)))
        },
        ScalarFunction("CURRENT_DATE", arity: 0...0, returnType: { _ in .timestamp }) { _, _, _, rows, ctx throws(HengeError) in
            let day = Period(days: 1).floor(ctx.nowMillis + ctx.timeZoneOffsetMillis) - ctx.timeZoneOffsetMillis
            return ColumnVector(.long([Int64](repeating: day, count: rows)))
        },
        // TIME_EXTRACT(ts, unit[, timezone])
        ScalarFunction("TIME_EXTRACT", arity: 1...3, returnType: { _ in .bigint }) { args, _, _, rows, ctx throws(HengeError) in
            let unit = args.count > 1 ? (args[1].value(at: 0).stringValue ?? "MILLISECOND") : "MILLISECOND"
            let offset = try args.count > 2 ? zoneOffset(args[2].value(at: 0).stringValue) : ctx.timeZoneOffsetMillis
            return try mapRowsStrict([args[0]], rowCount: rows, resultType: .bigint) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                try extract(unit: unit.uppercased(), v[0].longValue ?? 0, offset: offset)
            }
        },
    ]

    static func periodArg(_ c: ColumnVector) throws(HengeError) -> Period {
        let text = c.value(at: 0).stringValue ?? ""
        guard let p = Period(iso: text) else {
            throw HengeError.invalidInput("Invalid period [\(text)]: expected an ISO-8601 period such as 'PT1H' or 'P1D'")
        }
        return p
    }

    /// Offset in millis of a zone name: `UTC`, `Z`, `+05:30`, `Etc/GMT+3`.
    static func zoneOffset(_ name: String?) throws(HengeError) -> Int64 {
        guard let name, !name.isEmpty else { return 0 }
        if let o = TimeZones.offsetMillis(name) { return o }
        throw HengeError.invalidInput("Unknown time zone [\(name)]")
    }

    static func extract(unit: String, _ t: Int64, offset: Int64) throws(HengeError) -> ScalarValue {
        let c = CivilTime(epochMillis: t + offset)
        switch unit {
        case "EPOCH": return .long(CivilTime.floorDiv(t, 1000))
        case "MILLISECOND": return .long(Int64(c.second * 1000 + c.millisecond))
        case "SECOND": return .long(Int64(c.second))
        case "MINUTE": return .long(Int64(c.minute))
        case "HOUR": return .long(Int64(c.hour))
        case "DAY": return .long(Int64(c.day))
        case "DOW", "ISODOW": return .long(Int64(c.isoDayOfWeek))
        case "DOY":
            return .long(CivilTime.daysFromCivil(c.year, c.month, c.day) - CivilTime.daysFromCivil(c.year, 1, 1) + 1)
        case "WEEK":
            // ISO week number.
            let days = CivilTime.daysFromCivil(c.year, c.month, c.day)
            let thursday = days - Int64(c.isoDayOfWeek) + 4
            let (ty, _, _) = CivilTime.civilFromDays(thursday)
            return .long((thursday - CivilTime.daysFromCivil(ty, 1, 1)) / 7 + 1)
        case "MONTH": return .long(Int64(c.month))
        case "QUARTER": return .long(Int64((c.month - 1) / 3 + 1))
        case "YEAR": return .long(Int64(c.year))
        case "DECADE": return .long(Int64(c.year / 10))
        case "CENTURY": return .long(Int64((c.year + 99) / 100))
        case "MILLENNIUM": return .long(Int64((c.year + 999) / 1000))
        default: throw HengeError.invalidInput("Unsupported time unit [\(unit)]")
        }
    }
}

/// Fixed-offset time zones (named zones with DST are not supported yet).
package enum TimeZones {
    package static func offsetMillis(_ name: String) -> Int64? {
        let upper = name.uppercased()
        if ["UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UCT", "UNIVERSAL", "ZULU"].contains(upper) { return 0 }
        var s = Substring(name)
        for prefix in ["UTC", "GMT"] where s.uppercased().hasPrefix(prefix) { s = s.dropFirst(prefix.count) }
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let body = s.dropFirst().split(separator: ":")
        guard let h = Int(body.first ?? ""), h <= 18 else { return nil }
        let m = body.count > 1 ? Int(body[1]) ?? 0 : 0
        return Int64((h * 60 + m) * 60_000) * (sign == "-" ? -1 : 1)
    }
}
