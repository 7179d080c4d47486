#!/usr/bin/env bash
# The whole test suite, from a fresh clone: `npm test` (or `bash scripts/test.sh`).
# Installs what is missing (Node 22, packages, Chromium), type-checks, lints, and runs every
# vitest suite on SQLite and PostgreSQL. Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh

bash scripts/ensure-packages.sh
if [ "${TEST_POSTGRES:-1}" != "0" ]; then bash scripts/ensure-postgres.sh; fi
if [ -f scripts/ensure-chromium.sh ] && [ "${TEST_BROWSER:-1}" != "0" ]; then bash scripts/ensure-chromium.sh; fi

echo "== checking that \`npm ci\` accepts package-lock.json on every platform (Docker, macOS, Windows)"
# A dry run resolves the whole tree against the lockfile without installing (a few seconds).
# npm 11's \`npm install\` drops other platforms' optional packages from the lockfile; this
# catches that before a deploy or a colleague's \`npm ci\` does.
for platform in "--os=linux --cpu=x64 --libc=glibc" "--os=linux --cpu=x64 --libc=musl" "--os=darwin --cpu=arm64" "--os=win32 --cpu=x64"; do
  # shellcheck disable=SC2086
  npm ci --dry-run --ignore-scripts --no-audit --no-fund $platform >/dev/null || {
    echo "package-lock.json is not accepted by \`npm ci\` ($platform): regenerate it with \`npm install --package-lock-only\` in a copy without node_modules"
    exit 1
  }
done
echo "== generating Prisma clients"
npm run -s db -- generate
echo "== checking migrations are in step with prisma/schema.prisma (both dialects)"
npm run -s db -- check
echo "== checking the generated Admin API types are in step with app/shopify/documents/*.graphql"
mkdir -p .cache
codegen_status=0
# A stale file fails the run, but the tests still run so the closing count line is printed.
npm run -s codegen:check >.cache/codegen-check.log 2>&1 || {
  codegen_status=1
  cat .cache/codegen-check.log
  echo "app/shopify/generated/admin.generated.ts is stale: run \`npm run codegen\` and commit it"
}
echo "== type-checking"
npx tsc --noEmit
echo "== type-checking and building the admin extension (extensions/customer-card, as shopify app build would)"
npx tsc --noEmit -p extensions/customer-card && npx tsx tools/shopify-sim/extension-bundle.ts
if npm run | grep -q '^  lint$'; then echo "== linting"; npm run -s lint; fi

echo "== tests"
status=$codegen_status
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json "$@" || status=$?
# A stale generated file counts as one failed check in the closing line.
CODEGEN_STALE=$codegen_status node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest-report.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  const failed = r.numFailedTests + Number(process.env.CODEGEN_STALE);
  if (skipped) console.log(`${skipped} skipped`);
  // The closing line CI reads: exactly "N passed, N failed".
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
' || { echo "0 passed, 1 failed"; status=1; }
exit $status
