import Testing
import DataModel
import SQLSyntax
import SQLPlanner
import Expressions

/// A fixed catalog for binder tests.
struct TestCatalog: Catalog {
    func dataSource(_ name: String) -> DataSourceInfo? {
        guard name == "wiki" else { return nil }
        return DataSourceInfo(name: "wiki", signature: RowSignature([
            ColumnSpec(name: "__time", type: .long), ColumnSpec(name: "page", type: .string), ColumnSpec(name: "added", type: .long),
        ]))
    }
}

struct BinderTests {
    func bind(_ sql: String, context: QueryContext = QueryContext()) throws -> BoundStatement {
        var binder = Binder(context: try PlanningContext(catalog: TestCatalog(), queryContext: context, nowMillis: 0))
        return try binder.bind(try Parser.parseScript(sql).statement)
    }

    @Test func bindsSelectTypes() throws {
        guard case .query(let plan) = try bind("SELECT __time, page, added * 2 AS a2, added / 2.0 FROM wiki") else {
            Issue.record("not a query"); return
        }
        #expect(plan.fields.map(\.name) == ["__time", "page", "a2", "EXPR$3"])
        #expect(plan.fields.map(\.type) == [.timestamp, .varchar, .bigint, .double])
    }

    @Test func groupByChecksGrouping() throws {
        #expect(throws: HengeError.self) { try bind("SELECT page, added FROM wiki GROUP BY page") }
        guard case .query(let plan) = try bind("SELECT page, COUNT(*), SUM(added) FROM wiki GROUP BY 1") else {
            Issue.record("not a query"); return
        }
        #expect(plan.fields.map(\.type) == [.varchar, .bigint, .bigint])
    }

    @Test func ingestPutsTimeFirstAndKeepsNames() throws {
        let sql = """
            INSERT INTO out SELECT page, TIME_PARSE('2000-01-01') AS __time, added FROM wiki PARTITIONED BY 'P1D'
            """
        guard case .ingest(let plan) = try bind(sql) else { Issue.record("not an ingest"); return }
        #expect(plan.query.fields.map(\.name) == ["__time", "page", "added"])
        #expect(plan.granularity == .period(Period(days: 1)))
        #expect(plan.mode == .insert)
    }

    @Test func overwriteWhereBecomesIntervals() throws {
        let sql = """
            REPLACE INTO wiki OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01' AND __time < TIMESTAMP '2000-01-03'
            SELECT __time, page FROM wiki PARTITIONED BY DAY
            """
        guard case .ingest(let plan) = try bind(sql) else { Issue.record("not an ingest"); return }
        #expect(plan.replaceIntervals?.map(\.description) == ["2000-01-01T00:00:00.000Z/2000-01-03T00:00:00.000Z"])
    }

    @Test func sqlTimeZoneShiftsTimestampLiterals() throws {
        let ctx = QueryContext([("sqlTimeZone", "+02:00")])
        guard case .query(let plan) = try bind("SELECT TIMESTAMP '2000-01-01 02:00:00'", context: ctx),
              case .project(_, let exprs, _) = plan, case .literal(let v, .timestamp) = exprs[0] else {
            Issue.record("unexpected plan"); return
        }
        #expect(v == .long(946_684_800_000))
    }

    @Test func optimizerPrunesColumnsAndTime() throws {
        guard case .query(let plan) = try bind(
            "SELECT page FROM wiki WHERE __time >= TIMESTAMP '2000-01-01 00:00:00' AND __time < TIMESTAMP '2000-01-02 00:00:00'")
        else { Issue.record("not a query"); return }
        let optimized = try Optimizer().optimize(plan)
        guard case .project(.scan(let scan), _, _) = optimized else { Issue.record("filter was not pushed into the scan: \(optimized)"); return }
        #expect(scan.fields.map(\.name) == ["__time", "page"])
        #expect(scan.intervals?.map(\.description) == ["2000-01-01T00:00:00.000Z/2000-01-02T00:00:00.000Z"])
    }
}
