#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion of trawl-cli, sourced as bash-completion loads it and
# called as bash calls it on Tab.  Prints TAP.
#
# Usage: test-completion.sh TRAWL-CLI COMPLETION-SCRIPT
program=$1
script=$2
bash_completion=/usr/share/bash-completion/bash_completion

if [ ! -r "$bash_completion" ]; then
  echo "1..0 # SKIP bash-completion is not installed"
  exit 0
fi

# shellcheck source=/dev/null
source "$bash_completion"
# shellcheck source=../docs/completions/trawl-cli.bash
source "$script"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
touch site.trawl site.trawljob urls.txt
mkdir folder

n=0
status=0

# complete WORD… : COMPREPLY for the command line WORD…, the last word being
# the one under the cursor, sorted on one line.
complete_line()
{
  COMP_WORDS=("$program" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _trawl_cli
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect NAME WANTED GOT
expect()
{
  n=$((n + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    echo "# wanted: $2"
    echo "# got:    $3"
    status=1
  fi
}

# expect_has NAME WORD GOT: GOT, a list of words, holds WORD.
expect_has()
{
  n=$((n + 1))
  case " $3 " in
    *" $2 "*) echo "ok $n - $1" ;;
    *) echo "not ok $n - $1"; echo "# $2 is not among: $3"; status=1 ;;
  esac
}

expect "the commands" "--help --version crawl export extract resume stats" "$(complete_line "")"
expect "a command from its start" "resume" "$(complete_line re)"

crawl_options=$(complete_line crawl --)
for option in --output --job --list --save-job --print-command --json --quiet --verbose --help-job \
              --scope --depth --robots --header --store-bodies --extract --sitemaps --no-sitemaps; do
  expect_has "crawl's options include $option" "$option" "$crawl_options"
done
# Every option crawl --help-all prints, and nothing else but the --no- forms.
listed=$("$program" crawl --help-all | sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p' | sort | tr '\n' ' ' | sed 's/ $//')
offered=$(printf '%s\n' $crawl_options | grep -v '^--no-' | sort | tr '\n' ' ' | sed 's/ $//')
expect "crawl's options are those of crawl --help-all" "$listed" "$offered"
expect "export --co" "--columns" "$(complete_line export site.trawl --co)"
expect "export --f" "--format" "$(complete_line export --f)"

# --format: the values trawl-cli accepts, in the order its message gives them.
formats=$("$program" export site.trawl -o - --format nonsense 2>&1 | sed -n 's/.*--format takes \(.*\)$/\1/p' | sed 's/,//g; s/ or / /')
expect "--format offers what trawl-cli export accepts" "$(printf '%s\n' $formats | sort | tr '\n' ' ' | sed 's/ $//')" \
  "$(complete_line export site.trawl --format "")"
expect "--format=VALUE" "json jsonl" "$(complete_line export site.trawl --format=js)"
expect "-f VALUE" "sitemap" "$(complete_line export site.trawl -f si)"
expect "--what" "items links pages" "$(complete_line export site.trawl --what "")"
expect "--robots" "ignore obey report" "$(complete_line crawl --robots "")"
expect "--scope=VALUE" "site" "$(complete_line crawl --scope=s)"
expect "--delay-mode" "auto fixed random" "$(complete_line crawl --delay-mode "")"
expect "an unknown command completes nothing" "" "$(complete_line no-such-command -- 2>&1)"
expect "a number takes no completion" "" "$(complete_line crawl --depth "")"

expect "a crawl file for stats" "folder site.trawl" "$(complete_line stats "")"
expect "a job file for --job" "folder site.trawljob" "$(complete_line crawl --job "")"
expect "a job file for --rules-from" "folder site.trawljob" "$(complete_line extract site.trawl --rules-from "")"
expect "crawl -o makes a crawl file" "folder site.trawl" "$(complete_line crawl https://example.org/ -o "")"
expect "export -o writes any file" "folder site.trawl site.trawljob urls.txt" "$(complete_line export site.trawl -o "")"

echo "1..$n"
exit $status
