
extension Expr {
    /// A copy where every identifier for which `replacement` returns an
    /// expression is replaced by it (used to expand select-list aliases in
    /// HAVING and ORDER BY). Subqueries are left alone.
    package func replacingIdentifiers(_ replacement: ([String]) -> Expr?) -> Expr {
        func r(_ e: Expr) -> Expr { e.replacingIdentifiers(replacement) }
        var out = self
        switch kind {
        case .identifier(let parts):
            return replacement(parts) ?? self
        case .star, .literal, .parameter, .subquery:
            return self
        case .unary(let op, let a): out.kind = .unary(op, r(a))
        case .binary(let op, let a, let b): out.kind = .binary(op, r(a), r(b))
        case .call(let name, let args, let distinct, let filter):
            out.kind = .call(name: name, args: args.map { CallArgument(name: $0.name, value: r($0.value)) }, distinct: distinct,
                             filter: filter.map(r))
        case .cast(let a, let t): out.kind = .cast(r(a), typeName: t)
        case .floorCeilTo(let f, let a, let unit): out.kind = .floorCeilTo(function: f, r(a), unit: unit)
        case .extract(let unit, let a): out.kind = .extract(unit: unit, r(a))
        case .caseWhen(let op, let whens, let els):
            out.kind = .caseWhen(operand: op.map(r), whens: whens.map { CaseBranch(condition: r($0.condition), result: r($0.result)) },
                                 elseResult: els.map(r))
        case .inList(let a, let items, let negated): out.kind = .inList(r(a), items.map(r), negated: negated)
        case .inSubquery(let a, let q, let negated): out.kind = .inSubquery(r(a), q, negated: negated)
        case .between(let a, let lo, let hi, let negated): out.kind = .between(r(a), low: r(lo), high: r(hi), negated: negated)
        case .like(let a, let p, let esc, let negated): out.kind = .like(r(a), pattern: r(p), escape: esc.map(r), negated: negated)
        case .isTest(let a, let t, let negated): out.kind = .isTest(r(a), t, negated: negated)
        case .isDistinctFrom(let a, let b, let negated): out.kind = .isDistinctFrom(r(a), r(b), negated: negated)
        case .arrayConstructor(let items): out.kind = .arrayConstructor(items.map(r))
        }
        return out
    }
}
