#!/bin/bash
# test_cli_help.sh -- `occam --help` lists every option of every subcommand
# (or points to 'occam <command> --help' for the full list), and every option
# a subcommand's own --help names is one its parser accepts.
#
# Reference: the options named in each `occam <command> --help` (every
# --word token, --help aside), compared as sets with the --word tokens of that
# command's entry in `occam --help` (from its line to the next command).
# "Accepted" means: giving the option (with a dummy value when it takes one)
# does not give "unknown option".
. "$(dirname "$0")/cli_testlib.sh" || exit 1

run top --help
expect_ok top

for cmd in "fit linear" "fit glm" "fit pnbd" "model linear" "model pnbd" "predict"; do
    name=${cmd// /_}
    # shellcheck disable=SC2086
    run "$name" $cmd --help
    expect_ok "$name"
    if msg=$("$PY" - "$WORK/top.out" "$WORK/$name.out" "$cmd" 2>&1 <<'EOF'
import re, sys
top, sub, cmd = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
opts = lambda text: set(re.findall(r"(?<![\w-])--[a-zA-Z][\w-]*", text)) - {"--help"}
lines = top.split("\n")
start = [i for i, l in enumerate(lines) if l.startswith("  " + cmd + " ")]
assert len(start) == 1, "no entry for %r in occam --help" % cmd
block = [lines[start[0]]]
for l in lines[start[0] + 1:]:
    if not l.startswith("               "):   # the next command, or the end
        break
    block.append(l)
block = "\n".join(block)
want = opts(sub)
assert want, "no options in 'occam %s --help'" % cmd
missing = want - opts(block)
if missing and ("occam %s --help" % cmd) not in block:
    raise SystemExit("occam --help leaves out %s of %s and does not point to 'occam %s --help'"
                     % (", ".join(sorted(missing)), cmd, cmd))
extra = opts(block) - want
assert not extra, "occam --help names %s, which 'occam %s --help' does not" % (sorted(extra), cmd)
print("all %d options listed" % len(want) if not missing else "points to 'occam %s --help'" % cmd)
EOF
    ); then pass "$name: occam --help: $msg"; else fail "$name: $msg"; fi
    # every option of the subcommand's help is accepted by its parser
    unknown=""
    for opt in $(grep -oE -- '(^|[^[:alnum:]-])--[[:alpha:]][[:alnum:]-]*' "$WORK/$name.out" | grep -oE -- '--.*' | sort -u); do
        [ "$opt" = --help ] && continue
        # shellcheck disable=SC2086
        "$OCCAM_CLI" $cmd "$opt" 1 >/dev/null 2>"$WORK/opt.err"
        if grep -q "unknown option '$opt'" "$WORK/opt.err"; then unknown="$unknown $opt"; fi
    done
    if [ -z "$unknown" ]; then pass "$name: every option of its --help is accepted"; else
        fail "$name: --help names options the parser rejects:$unknown"; fi
done

# the two omissions of the bug report
if grep -A1 '^  fit linear ' "$WORK/top.out" | grep -q -- '--offset COL'; then pass "top: fit linear lists --offset"; else
    fail "top: fit linear entry lacks --offset"; fi
if grep -A1 '^  model linear ' "$WORK/top.out" | grep -q -- '--no-intercept'; then
    pass "top: model linear lists --no-intercept"
else fail "top: model linear entry lacks --no-intercept"; fi
finish
