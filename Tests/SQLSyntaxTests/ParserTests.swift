import Testing
import DataModel
import SQLSyntax

struct ParserTests {
    @Test func parsesInsertWithExternAndPartitioning() throws {
        let script = try Parser.parseScript("""
            SET maxNumTasks = 3;
            INSERT INTO "wiki" SELECT TIME_PARSE("timestamp") AS __time, * FROM TABLE(EXTERN('{"type":"inline"}', '{"type":"json"}', '[]'))
            PARTITIONED BY DAY CLUSTERED BY page, 2
            """)
        #expect(script.settings.map(\.key) == ["maxNumTasks"])
        guard case .insert(let ins) = script.statement else { Issue.record("not an insert"); return }
        #expect(ins.target == ["wiki"])
        guard case .keyword("DAY", _)? = ins.partitionedBy else { Issue.record("PARTITIONED BY is not DAY"); return }
        #expect(ins.clusteredBy.count == 2)
        guard case .select(let sel) = ins.query.body, case .tableFunction(let name, let args, _, _, _) = sel.from else {
            Issue.record("unexpected body"); return
        }
        #expect(name == "EXTERN")
        #expect(args.count == 3)
        #expect(sel.items.count == 2)
    }

    @Test(arguments: ["ALL", "ALL TIME", "'P1D'", "FLOOR(__time TO HOUR)", "TIME_FLOOR(__time, 'PT1H')"])
    func parsesPartitionedByForms(_ form: String) throws {
        let s = try Parser.parseScript("REPLACE INTO t OVERWRITE ALL SELECT 1 AS x PARTITIONED BY \(form)")
        guard case .replace(let r) = s.statement else { Issue.record("not a replace"); return }
        #expect(r.partitionedBy != nil)
        #expect(r.overwrite == .all)
    }

    @Test func operatorPrecedence() throws {
        let e = try Parser.parseExpression("a + b * c = d OR NOT e AND f IS NOT NULL")
        guard case .binary(.or, let l, let r) = e.kind else { Issue.record("top is not OR"); return }
        guard case .binary(.eq, let sum, _) = l.kind, case .binary(.add, _, let prod) = sum.kind,
              case .binary(.multiply, _, _) = prod.kind else { Issue.record("bad left side"); return }
        guard case .binary(.and, let n, let isn) = r.kind, case .unary(.not, _) = n.kind,
              case .isTest(_, .null, negated: true) = isn.kind else { Issue.record("bad right side"); return }
    }

    @Test func literalsAndSpecialForms() throws {
        #expect(try Parser.parseExpression("TIMESTAMP '2000-01-01 00:00:00'").kind == .literal(.timestamp("2000-01-01 00:00:00")))
        #expect(try Parser.parseExpression("-5").kind == .literal(.integer("-5")))
        #expect(try Parser.parseExpression("'it''s'").kind == .literal(.string("it's")))
        #expect(try Parser.parseExpression("\"a\"\"b\"").kind == .identifier(["a\"b"]))
        guard case .cast(_, let t) = try Parser.parseExpression("CAST(x AS DOUBLE)").kind else { Issue.record("not a cast"); return }
        #expect(t == "DOUBLE")
        guard case .call("COUNT", let args, true, _) = try Parser.parseExpression("COUNT(DISTINCT x)").kind else {
            Issue.record("not count distinct"); return
        }
        #expect(args.count == 1)
    }

    @Test func parseErrorsNameLineAndColumn() {
        do {
            _ = try Parser.parseScript("SELECT a,\n  FROM t")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "Incorrect syntax near the keyword 'FROM' at line 2, column 3.")
            #expect(error.range?.line == 2)
            #expect(error.range?.column == 3)
            #expect(error.code == "invalidInput")
        }
        do {
            _ = try Parser.parseScript("SELECT 'unterminated")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("Unterminated string literal"))
        }
    }

    @Test func commentsAreSkipped() throws {
        let s = try Parser.parseScript("-- leading\nSELECT /* inline */ 1 -- trailing")
        guard case .query = s.statement else { Issue.record("not a query"); return }
    }
}
