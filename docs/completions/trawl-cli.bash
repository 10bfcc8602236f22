# SPDX-License-Identifier: GPL-3.0-or-later
# Bash completion for trawl-cli, loaded by bash-completion.
#
# The commands and their options are read from trawl-cli's own --help
# output the first time they are needed, so that they never drift from the
# program: an option written "--scope=host|site|any" completes its values,
# and each on/off crawl setting has its --no- form.  Only what --help does
# not spell out is listed here: the values of export's --format and which
# options take which kind of file.

# The values of trawl-cli export --format; tests/test-completion.sh checks
# them against the list trawl-cli itself gives.
_trawl_cli_formats='csv json jsonl xml sitemap warc trawl'

# Prints the commands that "trawl-cli --help" lists.
_trawl_cli_commands()
{
    local line in_commands=
    while IFS= read -r line; do
        if [[ $line == Commands: ]]; then
            in_commands=1
        elif [[ -z $line ]]; then
            in_commands=
        elif [[ $in_commands && $line =~ ^\ +([a-z]+) ]]; then
            printf '%s\n' "${BASH_REMATCH[1]}"
        fi
    done < <("$1" --help 2>/dev/null)
}

# Prints a line "OPTION ARG" for every option of a command, ARG being "-"
# for an option that takes none; short options too.  The result is kept
# in _trawl_cli_options_COMMAND for the rest of the shell's life.
_trawl_cli_options()
{
    local program=$1 command=$2 cache=_trawl_cli_options_$2
    if [[ -z ${!cache-} ]]; then
        local line group= short long arg out=
        local re='^ +(-([[:alnum:]]), +)?--([[:alnum:]-]+)(=([^ ]+( [^ ]+)*))?( {2,}|$)'
        while IFS= read -r line; do
            if [[ $line =~ ^[^\ ].*:$ ]]; then
                group=$line
                continue
            fi
            [[ $line =~ $re ]] || continue
            short=${BASH_REMATCH[2]} long=${BASH_REMATCH[3]} arg=${BASH_REMATCH[5]:--}
            out+="--$long $arg"$'\n'
            [[ $short ]] && out+="-$short $arg"$'\n'
            # The crawl settings' on/off flags are hidden in their --no- form.
            [[ $group == Crawl\ settings* && $arg == - ]] && out+="--no-$long -"$'\n'
        done < <("$program" "$command" --help-all 2>/dev/null)
        printf -v "$cache" '%s' "${out:-none}"
    fi
    [[ ${!cache} != none ]] && printf '%s' "${!cache}"
}

_trawl_cli()
{
    local cur prev words cword split
    _init_completion -s || return

    local program=${words[0]} command= i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            command=${words[i]}
            break
        fi
    done

    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$(_trawl_cli_commands "$program") --help --version" -- "$cur"))
        return
    fi

    # Anything else is not a command, nor a name for the cache.
    [[ $command =~ ^[a-z]+$ ]] || return

    local options
    options=$(_trawl_cli_options "$program" "$command")

    # The value of an option: PREV is the option when CUR is its value.
    if [[ $prev == -* ]]; then
        local arg
        arg=$(awk -v o="$prev" '$1 == o { $1 = ""; sub(/^ /, ""); print; exit }' <<<"$options")
        if [[ $arg && $arg != - ]]; then
            case $prev in
                --job | --save-job | --rules-from)
                    _filedir trawljob
                    ;;
                -f | --format)
                    COMPREPLY=($(compgen -W "$_trawl_cli_formats" -- "$cur"))
                    ;;
                -o | --output)
                    # crawl creates a crawl file; export writes any file.
                    if [[ $command == crawl ]]; then
                        _filedir trawl
                    else
                        _filedir
                    fi
                    ;;
                *)
                    if [[ $arg == *'|'* ]]; then
                        COMPREPLY=($(compgen -W "${arg//|/ }" -- "$cur"))
                    elif [[ $arg == FILE || $arg == OUT ]]; then
                        _filedir
                    fi
                    ;;
            esac
            return
        fi
    fi

    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(awk '$1 ~ /^--/ { print $1 }' <<<"$options")" -- "$cur"))
        return
    fi

    # crawl takes web addresses, the other commands a crawl file.
    if [[ $command != crawl ]]; then
        _filedir trawl
    fi
}
complete -F _trawl_cli trawl-cli
