#!/usr/bin/env bash
# collect-inventory.sh — gather the ECS inventory (and, with --network, the network evidence) that
# ecs16-evidence reads, with the AWS CLI, read-only.
#
#   collect-inventory.sh --out DIR [--profile P]... --region R... [--network]
#
# What it writes (ecs16-evidence recognises files by their content, not their names; the names are for
# people browsing the folder):
#
#   DIR/collection.json                                   who collected, when, what, and every call that failed
#   DIR/<account>/sts-get-caller-identity.json            the identity each profile resolved to
#   DIR/<account>/<region>/ecs/list-clusters.json
#   DIR/<account>/<region>/ecs/<cluster>/list-services.json
#   DIR/<account>/<region>/ecs/<cluster>/describe-services-<n>.json       n = 1, 2, … (10 services a call)
#   DIR/<account>/<region>/ecs/<cluster>/<service>/describe-task-sets.json (EXTERNAL and CODE_DEPLOY services)
#   with --network:
#   DIR/<account>/<region>/ec2/describe-subnets.json
#   DIR/<account>/<region>/ec2/describe-route-tables.json
#   DIR/<account>/<region>/ec2/describe-security-groups.json
#   DIR/<account>/<region>/ec2/describe-network-acls.json
#   DIR/<account>/<region>/ec2/describe-managed-prefix-lists.json
#   DIR/<account>/<region>/ec2/get-managed-prefix-list-entries-<prefix-list-id>.json
#   DIR/<account>/<region>/elbv2/describe-load-balancers.json
#   DIR/<account>/<region>/elbv2/describe-target-groups.json
#   DIR/<account>/<region>/elbv2/describe-listeners-<load-balancer-name>.json
#
# Every file is exactly what `aws … --output json` printed (never --query), written only when the call
# succeeded (to a temporary file first, then renamed). collection.json is written last: a folder without it
# is an interrupted collection. Exit status: 0 all collected, 3 some calls failed (they are listed in
# collection.json and on stderr; the files written are still valid), 2 usage error, 1 could not run.
#
# Read-only by construction: every AWS CLI call goes through aws_exec, which runs only `aws --version` and
# `aws <ecs|ec2|elbv2|sts> <list-*|describe-*|get-*> …` and refuses anything else.
#
# Needs bash 4.4+, the AWS CLI (v2 or v1) and coreutils. No jq, no python.

set -euo pipefail

if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
  printf '%s: needs bash 4.4 or newer (this is %s)\n' "${0##*/}" "$BASH_VERSION" >&2
  exit 1
fi
exec 3>&2 # the real stderr, for messages from code whose stderr is redirected

readonly PROG=${0##*/}
readonly SCHEMA='ecs16-evidence/collection/v1'
readonly MAX_RETRIES=5

usage() {
  cat <<EOF
Usage: $PROG --out DIR [--profile P]... --region R... [--network]

Collect, read-only, the ECS inventory ecs16-evidence reads: for each profile and region,
ecs list-clusters, list-services, describe-services (10 services a call, with tags) and
describe-task-sets (without --task-sets, for EXTERNAL and CODE_DEPLOY services), plus one
sts get-caller-identity per profile and DIR/collection.json (who, when, which accounts and
regions, the CLI version, every failed call).

Options:
  --out DIR        folder to write to; must not exist or be empty
  --profile P      AWS CLI profile (repeatable). Without one, the CLI's default credentials
                   (AWS_PROFILE, environment keys, instance role, ...) are used once.
                   To collect through an assumed role, use a role profile in ~/.aws/config:
                       [profile audit-payments]
                       role_arn = arn:aws:iam::111122223333:role/SecurityAudit
                       source_profile = default
                   (the CLI assumes the role itself; this script calls no sts assume-role)
  --region R       region to collect (repeatable, at least one)
  --network        also collect the network evidence: ec2 describe-subnets, -route-tables,
                   -security-groups, -network-acls, -managed-prefix-lists and the entries of
                   each prefix list; elbv2 describe-load-balancers, -target-groups, and the
                   listeners of each load balancer
  -h, --help       show this help

Environment:
  COLLECT_RETRY_BASE_SECONDS   first back-off delay after throttling (default 1; doubles at each
                               of up to $MAX_RETRIES retries)

Exit status: 0 everything collected; 3 some calls failed (listed on stderr and in
collection.json; what was written is valid); 2 usage error; 1 could not run.
Only aws ... list-*, describe-* and get-* calls (and aws --version) are ever made.
EOF
}

usage_error() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  printf "Try '%s --help'.\n" "$PROG" >&2
  exit 2
}

fatal() {
  printf '%s: %s\n' "$PROG" "$1" >&3
  exit 1
}

note() {
  printf '%s: %s\n' "$PROG" "$*" >&2
}

# ------------------------------------------------------------------ JSON writing

# Prints $1 as a JSON string literal. The one place text is escaped for collection.json: backslash,
# quote, and every control character (\n \r \t by name, the others as \u00XX). Input is expected to be
# UTF-8 (see clean_text); bytes >= 0x80 pass through unchanged.
json_str() {
  local LC_ALL=C
  local s=$1 i c
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [[ $s == *[[:cntrl:]]* ]]; then
    for ((i = 1; i < 32; i++)); do
      printf -v c '%b' "\\$(printf '%03o' "$i")"
      s=${s//"$c"/$(printf '\\u%04x' "$i")}
    done
  fi
  printf '"%s"' "$s"
}

# Prints $1 as a JSON string, or null when it is empty.
json_str_or_null() {
  if [[ -n $1 ]]; then json_str "$1"; else printf 'null'; fi
}

# Reads text on stdin and prints it as valid UTF-8 with surrounding blank lines removed: invalid byte
# sequences are dropped (iconv), or, without iconv, every non-ASCII byte is.
clean_text() {
  local text
  if command -v iconv >/dev/null 2>&1; then
    text=$(iconv -f UTF-8 -t UTF-8 -c 2>/dev/null || true)
  else
    text=$(LC_ALL=C tr -d '\200-\377')
  fi
  # trim leading and trailing whitespace (including the blank line the CLI prints before an error)
  text=${text#"${text%%[![:space:]]*}"}
  text=${text%"${text##*[![:space:]]}"}
  printf '%s' "$text"
}

# ------------------------------------------------------------------ names for files and folders

# Prints $1 made safe as one file or folder name: characters other than letters, digits and . _ - @ + = ,
# become _, a leading . becomes _, and when anything was changed a checksum of the original name is
# appended so that two different names cannot land in the same folder. ECS cluster and service names and
# load balancer names ([A-Za-z0-9_-]) are never changed, so they never collide with the fixed *.json names.
safe_name() {
  local LC_ALL=C
  local name=$1 safe sum
  safe=${name//[^A-Za-z0-9._@+=,-]/_}
  [[ $safe == .* ]] && safe=_${safe#.}
  [[ -n $safe ]] || safe=_
  if [[ $safe != "$name" ]]; then
    sum=$(printf '%s' "$name" | cksum)
    safe=${safe:0:200}~${sum%% *}
  fi
  printf '%s' "$safe"
}

# ------------------------------------------------------------------ the AWS CLI, read-only

# The only place the aws command runs. Allows `aws --version`, and `aws SERVICE OPERATION ARGS...` for the
# services this script reads and operations named list-*, describe-* or get-*; refuses --query (saved
# output must be what the CLI prints) and anything else, with exit 1.
aws_exec() {
  if [[ $# -eq 1 && $1 == --version ]]; then
    command aws --version </dev/null 3>&-
    return
  fi
  if [[ $# -lt 2 ]]; then
    fatal "refusing to run aws $*: not a read-only call"
  fi
  case $1 in
    ecs | ec2 | elbv2 | sts) ;;
    *) fatal "refusing to run aws $*: service $1 is not one this script reads" ;;
  esac
  case $2 in
    list-* | describe-* | get-*) ;;
    *) fatal "refusing to run aws $*: only list-*, describe-* and get-* operations are allowed" ;;
  esac
  local a
  for a in "$@"; do
    case $a in
      --query | --query=* | --cli-input-* | --generate-cli-skeleton*)
        fatal "refusing to run aws $*: $a is not allowed" ;;
    esac
  done
  # stdin closed: the callers read lists in `while read` loops that aws must not consume
  command aws "$@" </dev/null 3>&-
}

# Prints the error code of an AWS CLI error text ($1), or nothing when it names none. The CLI prints
# "An error occurred (CODE) when calling the OPERATION operation[ (reached max retries: N)]: MESSAGE"
# (v1, and v2 before 2.34 on a line of its own; v2 from 2.34 after "aws: [ERROR]: "), or, with
# cli_error_format json/yaml, "Code": "CODE" / Code: CODE.
error_code() {
  local re_legacy='An error occurred \(([A-Za-z0-9_.:-]+)\)'
  local re_json='"Code": *"([A-Za-z0-9_.:-]+)"'
  local re_yaml=$'(^|\n)Code: *([A-Za-z0-9_.:-]+)'
  if [[ $1 =~ $re_legacy ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  elif [[ $1 =~ $re_json ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  elif [[ $1 =~ $re_yaml ]]; then
    printf '%s' "${BASH_REMATCH[2]}"
  fi
}

# Whether error code $1 means throttling: the codes botocore's standard retry mode treats as throttling,
# less LimitExceededException (a quota, not a rate, for the services read here).
is_throttling() {
  case $1 in
    Throttling | ThrottlingException | ThrottledException | RequestThrottledException | \
      TooManyRequestsException | ProvisionedThroughputExceededException | TransactionInProgressException | \
      RequestLimitExceeded | BandwidthLimitExceeded | RequestThrottled | SlowDown | \
      PriorRequestNotComplete | EC2ThrottledException)
      return 0 ;;
  esac
  return 1
}

# Seconds to wait before retry number $1 (1-based): base × 2^(n-1).
backoff_seconds() {
  awk -v b="$RETRY_BASE" -v n="$1" 'BEGIN { printf "%g", b * 2 ^ (n - 1) }'
}

# Context of the calls being made (set by the main loop), recorded with every failure.
CUR_PROFILE=''
CUR_REGION=''
CUR_ACCOUNT=''
CALLS=0
FAILURES=()     # JSON objects, one per failed call
FAILURE_LINES=() # the same, one line each for the stderr summary

# collect OUTFILE SERVICE OPERATION [ARGS...]
# Runs one read-only call for the current profile and region, with --output json. On success writes what
# the CLI printed to OUTFILE (creating its folder); on throttling retries up to MAX_RETRIES times with
# exponential back-off; on failure records it (nothing is written) and returns 1.
collect() {
  local out=$1
  shift
  local call="$*" attempt=0 rc err code delay
  local -a globals=(--output json)
  [[ -n $CUR_PROFILE ]] && globals+=(--profile "$CUR_PROFILE")
  [[ -n $CUR_REGION ]] && globals+=(--region "$CUR_REGION")
  CALLS=$((CALLS + 1))
  note "${CUR_ACCOUNT:-?}/${CUR_REGION:-?}: aws $call"
  while :; do
    attempt=$((attempt + 1))
    rc=0
    aws_exec "$@" "${globals[@]}" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    err=$(clean_text <"$WORK/stderr")
    if ((rc == 0)) && [[ -s $WORK/stdout ]]; then
      # warnings the CLI may print on success (deprecations, …) are shown, not saved
      [[ -z $err ]] || printf '  aws: %s\n' "${err//$'\n'/$'\n'  aws: }" >&2
      { mkdir -p -- "${out%/*}" && mv -f -- "$WORK/stdout" "$out"; } || fatal "cannot write $out"
      return 0
    fi
    if ((rc == 0)); then # never write an empty file: the tool would refuse it as input
      err="the AWS CLI exited 0 but printed nothing${err:+: $err}"
    fi
    code=$(error_code "$err")
    if is_throttling "$code" && ((attempt <= MAX_RETRIES)); then
      delay=$(backoff_seconds "$attempt")
      note "  throttled ($code); retry $attempt of $MAX_RETRIES in ${delay}s"
      sleep "$delay"
      continue
    fi
    FAILURES+=("$(
      printf '{"account": %s, "region": %s, "profile": %s, "call": %s, "error_code": %s, "message": %s, "exit_code": %d, "attempts": %d}' \
        "$(json_str_or_null "$CUR_ACCOUNT")" "$(json_str_or_null "$CUR_REGION")" \
        "$(json_str_or_null "$CUR_PROFILE")" "$(json_str "$call")" "$(json_str_or_null "$code")" \
        "$(json_str "$err")" "$rc" "$attempt"
    )")
    FAILURE_LINES+=("${CUR_ACCOUNT:-?} ${CUR_REGION:-?} profile ${CUR_PROFILE:-(default)}: aws $call -> ${code:-error} (exit $rc)")
    note "  failed: ${code:-error} (exit $rc)"
    return 1
  done
}

# ------------------------------------------------------------------ reading what was saved
#
# The names and ARNs for the next calls are read from the saved output itself, not from a second call with
# --query … --output text: that would double the calls (and the throttling), could disagree with the
# saved file if something changed in between, and its text output differs between CLI v1 and v2. jq is not
# required either. This is exact, not a guess: the CLI prints JSON with `json.dump(…, indent=4)` (v1 and
# v2 alike), so every key sits on its own line at an indentation fixed by its depth, and a JSON string can
# hold no raw newline, so a line can only start with structure. The patterns below are anchored to those
# depths; values holding a quote or backslash (impossible in ARNs and the ids read) are never matched.

# Prints, one per line, the string items of a top-level list (`{"KEY": ["a", "b"]}`).
list_items() {
  local file=$1 line
  local re='^        "([^"\\]*)",?$'
  while IFS= read -r line; do
    if [[ $line =~ $re ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
  done <"$file"
  return 0
}

# Prints, one per line, the value of KEY ($2) in each object of a top-level list (`{"L": [{"KEY": "v"}]}`).
item_values() {
  local file=$1 key=$2 line
  local re="^            \"$key\": \"([^\"\\\\]*)\",?\$"
  while IFS= read -r line; do
    if [[ $line =~ $re ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
  done <"$file"
  return 0
}

# Prints the value of a top-level KEY ($2) of an object (`{"KEY": "v"}`).
top_value() {
  local file=$1 key=$2 line
  local re="^    \"$key\": \"([^\"\\\\]*)\",?\$"
  while IFS= read -r line; do
    if [[ $line =~ $re ]]; then
      printf '%s' "${BASH_REMATCH[1]}"
      return 0
    fi
  done <"$file"
  return 0
}

# Prints the serviceArn of each service in a describe-services output whose deploymentController.type is
# EXTERNAL or CODE_DEPLOY: the only services that have task sets. Each service object of the output carries
# its own "deploymentController": {"type": …}; a service without one uses the ECS controller, the default.
# ECS-controller services are skipped: they have no task sets (describe-services shows their deployments[]
# instead) and the API documents DescribeTaskSets for task-set services only, so calling it for them would
# add nothing but calls and, if refused, failures. For CODE_DEPLOY services the task sets are also embedded in
# describe-services; describe-task-sets is called for them too, and if AWS ever refuses it for them the
# failure is recorded like any other while the describe-services file still holds their task sets.
task_set_services() {
  local file=$1 line arn='' type='' in_controller=0
  local re_start='^        \{$' re_end='^        \},?$'
  local re_arn='^            "serviceArn": "([^"\\]*)",?$'
  local re_ctrl='^            "deploymentController": \{$'
  local re_type='^                "type": "([^"\\]*)",?$'
  local re_member='^            [^ ]'
  while IFS= read -r line; do
    if [[ $line =~ $re_start ]]; then
      arn='' type='' in_controller=0
    elif [[ $line =~ $re_end ]]; then
      if [[ -n $arn && ($type == EXTERNAL || $type == CODE_DEPLOY) ]]; then
        printf '%s\n' "$arn"
      fi
      arn='' type='' in_controller=0
    elif [[ $line =~ $re_arn ]]; then
      arn=${BASH_REMATCH[1]}
    elif [[ $line =~ $re_ctrl ]]; then
      in_controller=1
    elif ((in_controller)) && [[ $line =~ $re_type ]]; then
      type=${BASH_REMATCH[1]}
    elif [[ $line =~ $re_member ]]; then
      in_controller=0
    fi
  done <"$file"
  return 0
}

# ------------------------------------------------------------------ what is collected

# collect_ecs BASE: the ECS inventory of the current account and region into BASE/ecs.
collect_ecs() {
  local base=$1/ecs cluster_arn cluster_dir service_arn n i
  local -a clusters services batch
  collect "$base/list-clusters.json" ecs list-clusters || return 0
  mapfile -t clusters < <(list_items "$base/list-clusters.json")
  for cluster_arn in "${clusters[@]}"; do
    cluster_dir=$base/$(safe_name "${cluster_arn##*:cluster/}")
    collect "$cluster_dir/list-services.json" ecs list-services --cluster "$cluster_arn" || continue
    mapfile -t services < <(list_items "$cluster_dir/list-services.json")
    n=0
    for ((i = 0; i < ${#services[@]}; i += 10)); do
      n=$((n + 1))
      batch=("${services[@]:i:10}")
      collect "$cluster_dir/describe-services-$n.json" \
        ecs describe-services --cluster "$cluster_arn" --services "${batch[@]}" --include TAGS || continue
      while IFS= read -r service_arn; do
        # the service name is the last part of both ARN forms (service/CLUSTER/NAME and the old service/NAME)
        collect "$cluster_dir/$(safe_name "${service_arn##*/}")/describe-task-sets.json" \
          ecs describe-task-sets --cluster "$cluster_arn" --service "$service_arn" || true
      done < <(task_set_services "$cluster_dir/describe-services-$n.json")
    done
  done
}

# collect_network BASE: the network evidence of the current account and region into BASE/ec2, BASE/elbv2.
collect_network() {
  local ec2=$1/ec2 elbv2=$1/elbv2 op id arn
  for op in describe-subnets describe-route-tables describe-security-groups describe-network-acls; do
    collect "$ec2/$op.json" ec2 "$op" || true
  done
  if collect "$ec2/describe-managed-prefix-lists.json" ec2 describe-managed-prefix-lists; then
    while IFS= read -r id; do
      collect "$ec2/get-managed-prefix-list-entries-$(safe_name "$id").json" \
        ec2 get-managed-prefix-list-entries --prefix-list-id "$id" || true
    done < <(item_values "$ec2/describe-managed-prefix-lists.json" PrefixListId)
  fi
  if collect "$elbv2/describe-load-balancers.json" elbv2 describe-load-balancers; then
    while IFS= read -r arn; do
      # …:loadbalancer/app|net|gwy/NAME/ID; names are unique per account and region
      id=${arn#*:loadbalancer/*/}
      collect "$elbv2/describe-listeners-$(safe_name "${id%/*}").json" \
        elbv2 describe-listeners --load-balancer-arn "$arn" || true
    done < <(item_values "$elbv2/describe-load-balancers.json" LoadBalancerArn)
  fi
  collect "$elbv2/describe-target-groups.json" elbv2 describe-target-groups || true
}

# ------------------------------------------------------------------ main

OUT=''
NETWORK=false
PROFILES=()
REGIONS=()

add_unique() { # add_unique ARRAY_NAME VALUE
  local -n arr=$1
  local v
  for v in "${arr[@]}"; do [[ $v == "$2" ]] && return 0; done
  arr+=("$2")
}

while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --out) (($# >= 2)) || usage_error "--out needs a folder"; OUT=$2; shift 2 ;;
    --out=*) OUT=${1#--out=}; shift ;;
    --profile) (($# >= 2)) || usage_error "--profile needs a name"; add_unique PROFILES "$2"; shift 2 ;;
    --profile=*) add_unique PROFILES "${1#--profile=}"; shift ;;
    --region) (($# >= 2)) || usage_error "--region needs a name"; add_unique REGIONS "$2"; shift 2 ;;
    --region=*) add_unique REGIONS "${1#--region=}"; shift ;;
    --network) NETWORK=true; shift ;;
    --role-arn | --role-arn=*)
      usage_error "--role-arn is not supported (sts assume-role is not a read-only call); put the role in a profile of ~/.aws/config (role_arn, source_profile) and pass --profile" ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done

[[ -n $OUT ]] || usage_error "--out DIR is required"
((${#REGIONS[@]})) || usage_error "at least one --region is required"
for r in "${REGIONS[@]}"; do
  [[ $r =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_error "not a region name: $r"
done
for p in "${PROFILES[@]}"; do
  [[ -n $p ]] || usage_error "--profile needs a name"
done
# without --profile: the CLI's default credentials (AWS_PROFILE if set, which is then recorded)
((${#PROFILES[@]})) || PROFILES=("${AWS_PROFILE:-}")
RETRY_BASE=${COLLECT_RETRY_BASE_SECONDS:-1}
[[ $RETRY_BASE =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage_error "COLLECT_RETRY_BASE_SECONDS must be a number of seconds, not '$RETRY_BASE'"
if [[ -e $OUT && ! -d $OUT ]]; then
  usage_error "--out $OUT exists and is not a folder"
fi
if [[ -d $OUT ]] && [[ -n $(ls -A -- "$OUT") ]]; then
  usage_error "--out $OUT is not empty; collect into a new folder"
fi

# whatever the user's configuration says: no pager and no interactive auto-prompt (CLI v2)
export AWS_PAGER='' AWS_CLI_AUTO_PROMPT=off
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CLI_VERSION=$(aws_exec --version 2>&1) || fatal "the AWS CLI does not run (aws --version): $CLI_VERSION"
CLI_VERSION=$(printf '%s' "$CLI_VERSION" | clean_text)
note "using $CLI_VERSION"

mkdir -p -- "$OUT" || fatal "cannot create $OUT"
WORK=$(mktemp -d "$OUT/.collect-inventory.XXXXXX") || fatal "cannot write in $OUT"
trap 'rm -rf -- "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

COLLECTED_BY=()
ACCOUNTS=()
for profile in "${PROFILES[@]}"; do
  CUR_PROFILE=$profile CUR_REGION=${REGIONS[0]} CUR_ACCOUNT=''
  collect "$WORK/identity.json" sts get-caller-identity || continue
  account=$(top_value "$WORK/identity.json" Account)
  arn=$(top_value "$WORK/identity.json" Arn)
  if [[ ! $account =~ ^[0-9]{12}$ ]]; then
    FAILURES+=("$(printf '{"account": null, "region": %s, "profile": %s, "call": "sts get-caller-identity", "error_code": null, "message": %s, "exit_code": 0, "attempts": 1}' \
      "$(json_str "$CUR_REGION")" "$(json_str_or_null "$profile")" "$(json_str "no 12-digit Account in the output")")")
    FAILURE_LINES+=("profile ${profile:-(default)}: sts get-caller-identity printed no 12-digit Account")
    continue
  fi
  COLLECTED_BY+=("$(printf '{"profile": %s, "account": %s, "arn": %s}' \
    "$(json_str_or_null "$profile")" "$(json_str "$account")" "$(json_str "$arn")")")
  if [[ " ${ACCOUNTS[*]} " == *" $account "* ]]; then
    note "profile ${profile:-(default)} is account $account again; not collected twice"
    continue
  fi
  ACCOUNTS+=("$account")
  mkdir -p -- "$OUT/$account"
  mv -f -- "$WORK/identity.json" "$OUT/$account/sts-get-caller-identity.json"
  CUR_ACCOUNT=$account
  for region in "${REGIONS[@]}"; do
    CUR_REGION=$region
    collect_ecs "$OUT/$account/$region"
    if $NETWORK; then
      collect_network "$OUT/$account/$region"
    fi
  done
done
FINISHED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# collection.json: "calls" counts the distinct AWS calls made (sts, ecs, ec2, elbv2; not `aws --version`),
# each once however often it was retried; each failure says after how many "attempts" it was given up.
#
# json_list INDENT ITEM... : a JSON list of already-encoded items, one per line at the given indentation.
json_list() {
  local indent=$1
  shift
  if (($# == 0)); then
    printf '[]'
    return
  fi
  local first=1 item
  printf '['
  for item in "$@"; do
    ((first)) || printf ','
    first=0
    printf '\n%s    %s' "$indent" "$item"
  done
  printf '\n%s]' "$indent"
}

encoded_accounts=()
for a in "${ACCOUNTS[@]}"; do encoded_accounts+=("$(json_str "$a")"); done
encoded_regions=()
for r in "${REGIONS[@]}"; do encoded_regions+=("$(json_str "$r")"); done

{
  printf '{\n'
  printf '    "schema": %s,\n' "$(json_str "$SCHEMA")"
  printf '    "cli_version": %s,\n' "$(json_str "$CLI_VERSION")"
  printf '    "started_at": %s,\n' "$(json_str "$STARTED_AT")"
  printf '    "finished_at": %s,\n' "$(json_str "$FINISHED_AT")"
  printf '    "collected_by": %s,\n' "$(json_list '    ' "${COLLECTED_BY[@]}")"
  printf '    "accounts": %s,\n' "$(json_list '    ' "${encoded_accounts[@]}")"
  printf '    "regions": %s,\n' "$(json_list '    ' "${encoded_regions[@]}")"
  printf '    "network": %s,\n' "$NETWORK"
  printf '    "calls": %d,\n' "$CALLS"
  printf '    "failures": %s\n' "$(json_list '    ' "${FAILURES[@]}")"
  printf '}\n'
} >"$WORK/collection.json"
mv -f -- "$WORK/collection.json" "$OUT/collection.json"

if ((${#FAILURES[@]})); then
  note "${#FAILURES[@]} of $CALLS calls failed; the rest was collected into $OUT:"
  for line in "${FAILURE_LINES[@]}"; do
    printf '  %s\n' "$line" >&2
  done
  exit 3
fi
note "collected $CALLS calls into $OUT"
