#!/usr/bin/env bash
# `npm run mutate [group...]`: Stryker over each group of stryker.config.mjs (all of them by default), one after
# another; reports in reports/mutation/<group>.html. Later runs retest only what changed (incremental files there).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  read -r -a groups <<< "$(node --input-type=module -e 'const { GROUPS } = await import("./stryker.config.mjs"); console.log(Object.keys(GROUPS).join(" "))')"
  set -- "${groups[@]}"
fi
npm run build
for group in "$@"; do MUTATE_GROUP="$group" npx stryker run; done
