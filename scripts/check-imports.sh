#!/usr/bin/env bash
# Enforces the module graph of DESIGN.md §3 on import lines:
#  - each module imports only the modules listed for it below;
#  - third-party frameworks are confined to one module and imported `internal`;
#  - the pure modules (planners, kernel, expressions, syntax, data model) do no
#    I/O and read no clock.
# Exits non-zero and names every violation.
set -u
cd "$(dirname "$0")/.."

declare -A allowed=(
  [DataModel]=""
  [SQLSyntax]="DataModel"
  [Expressions]="DataModel Foundation"
  [SQLPlanner]="DataModel SQLSyntax Expressions"
  [MSQKernel]="DataModel Expressions"
  [MSQPlanner]="DataModel SQLPlanner MSQKernel Expressions"
  [Storage]="DataModel Foundation Glibc Musl Darwin"
  [Inputs]="DataModel CZlib CIsal CBzip2 CLzma CCurl Foundation Glibc Musl Darwin"
  [CIsal]=""
  [CKernels]=""
  [SegmentFormat]="DataModel CZlib CIsal CKernels Foundation Glibc Musl Darwin"
  [Operators]="DataModel Expressions SegmentFormat Foundation"
  [MSQExec]="DataModel MSQKernel Operators Inputs SegmentFormat Storage Expressions Foundation"
  [Metadata]="DataModel GRDB Foundation"
  [Engine]="DataModel SQLSyntax SQLPlanner MSQPlanner MSQKernel MSQExec Metadata Storage SegmentFormat Operators Expressions Inputs Logging Foundation"
  [HTTPAPI]="DataModel Engine Hummingbird HTTPTypes NIOCore Logging Foundation"
  [CLI]="HTTPAPI Engine DataModel ArgumentParser Logging Foundation"
  [InputsBench]="Inputs DataModel Glibc Musl Darwin"
)
# Frameworks that must not leak out of their module's API.
frameworks="GRDB Hummingbird HTTPTypes NIOCore ArgumentParser"
pure="DataModel SQLSyntax Expressions SQLPlanner MSQKernel MSQPlanner"

fail=0
for dir in Sources/*/; do
  module=$(basename "$dir")
  [[ "$module" == C* && -f "$dir/module.modulemap" ]] && continue
  if [ -z "${allowed[$module]+x}" ]; then
    echo "check-imports: module $module is not in the table of DESIGN.md §3 (add it here and there)"; fail=1; continue
  fi
  while IFS= read -r hit; do
    file=${hit%%:*}
    line=${hit#*:}
    imported=$(echo "$line" | sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|private|fileprivate)[[:space:]]+)?import[[:space:]]+(struct |class |enum |protocol |func )?([A-Za-z_][A-Za-z0-9_]*).*/\5/')
    if ! [[ " ${allowed[$module]} " == *" $imported "* ]]; then
      echo "check-imports: $file imports $imported, which $module may not use"; fail=1
    fi
    if [[ " $frameworks " == *" $imported "* ]] && ! [[ "$line" =~ ^[[:space:]]*internal[[:space:]]+import ]]; then
      echo "check-imports: $file must use 'internal import $imported' so the framework's types cannot leak"; fail=1
    fi
  done < <(grep -nE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|private|fileprivate)[[:space:]]+)?import[[:space:]]' -r "$dir" --include='*.swift' | sed -E 's/^([^:]+):[0-9]+:/\1:/')
  if [[ " $pure " == *" $module "* ]]; then
    if grep -nE '\b(FileManager|FileHandle|Date\(\)|ProcessInfo|URLSession|Thread\.sleep|DispatchQueue)\b' -r "$dir" --include='*.swift'; then
      echo "check-imports: $module must do no I/O and read no clock (see the lines above)"; fail=1
    fi
  fi
done
# Module and type names: no module contains a type of its own name.
for dir in Sources/*/; do
  module=$(basename "$dir")
  if grep -nE "^[[:space:]]*(package |public |internal )?(final )?(struct|class|enum|actor|protocol) $module\b" -r "$dir" --include='*.swift'; then
    echo "check-imports: $module declares a type named like the module"; fail=1
  fi
done
[ $fail -eq 0 ] && echo "check-imports: module graph OK"
exit $fail
