#!/usr/bin/env bash
# Type-checks sst.config.ts and infra/*.ts against SST's real component types, offline.
#
# The types live in .sst/platform, which `sst install` writes (from the sst binary and the npm
# registry; no AWS needed). It is slow cold (~300 MB), so it runs only when the stamp below is
# missing or differs. The install also bundles and evaluates sst.config.ts, which catches what
# tsc cannot: an infra import that SST's config bundle cannot load (it keeps @aws-sdk/*
# external). That is why the stamp covers the infra sources, and the workspace modules the
# infra imports (data only), and not only the sst version.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sst="infra/node_modules/.bin/sst"
tsc="node_modules/.bin/tsc"
for bin in "$sst" "$tsc"; do
  [[ -x "$bin" ]] || { echo "typecheck: $bin missing, run pnpm install" >&2; exit 1; }
done

sst_version="$(node -p 'require("./infra/node_modules/sst/package.json").version')"
stamp=".sst/typecheck.stamp"
bundled=(sst.config.ts infra/*.ts packages/core/src/table-definition.ts packages/core/src/notification/catalog.ts packages/api/src/routes.ts packages/api/src/router/*/routes.ts)
want="$sst_version $(cat "${bundled[@]}" | sha256sum | cut -d' ' -f1)"

if [[ ! -f .sst/platform/config.d.ts || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  # A platform written by another sst version is replaced whole.
  if [[ "$(cat .sst/platform/version 2>/dev/null)" != "$sst_version" ]]; then
    rm -rf .sst/platform
  fi
  echo "typecheck: sst install (sst $sst_version)"
  mkdir -p .sst
  if ! SST_TELEMETRY_DISABLED=1 SST_SKIP_DEPENDENCY_CHECK=true SST_NO_BUN=1 SST_STAGE="${SST_STAGE:-ci}" \
    "$sst" install --print-logs > .sst/install.log 2>&1; then
    # sst's own message is only "Unexpected error"; the cause is in the ERROR log line.
    grep -E 'level=ERROR' .sst/install.log | sed 's/\\n/\n/g' >&2 || tail -n 40 .sst/install.log >&2
    echo "typecheck: sst install failed (full log: .sst/install.log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi

"$tsc" --noEmit -p infra/tsconfig.json
