#!/usr/bin/env bash
# Quick start: install, set up the embedded SQLite database, and run the app against the
# bundled Shopify simulator with a generated demo store (no Shopify account needed).
#
#   bash scripts/start.sh            # then open the "Shopify admin" URL it prints
#
# Settings (environment): PORT (app, default 3000), SIM_PORT (simulator, default 4010),
# DEMO_ORDERS (size of the demo store, default 20000; 1000000 for a large shop),
# DEMO_HISTORY_END (last day of the store's history, YYYY-MM-DD; default today),
# DEMO_LIVE=1 (keep placing orders, about DEMO_ORDERS_PER_MINUTE a minute, default 2: watch
# profiles follow each order), DATABASE_URL (default SQLite file).
# To run against a real store instead, see README "Connecting a real store".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
bash scripts/ensure-packages.sh

export PORT="${PORT:-3000}"
SIM_PORT="${SIM_PORT:-4010}"
DEMO_ORDERS="${DEMO_ORDERS:-20000}"
export NODE_ENV=development
# 127.0.0.1 for both servers: the same site, so the embedded page may use its storage.
export SHOPIFY_APP_URL="http://127.0.0.1:${PORT}"
export SHOPIFY_API_KEY="${SHOPIFY_API_KEY:-demo-api-key}"
# A fresh secret per run: it only has to match between the app and the local simulator.
export SHOPIFY_API_SECRET="${SHOPIFY_API_SECRET:-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')}"
export SHOPIFY_SIMULATOR_URL="http://127.0.0.1:${SIM_PORT}"

echo "== database: ${DATABASE_URL:-file:./prisma/dev.sqlite}"
npm run -s db -- migrate

echo "== Shopify simulator on ${SHOPIFY_SIMULATOR_URL} (demo store, ~${DEMO_ORDERS} orders)"
LIVE_ARGS=()
[ "${DEMO_LIVE:-0}" = "1" ] && LIVE_ARGS=(--live --orders-per-minute "${DEMO_ORDERS_PER_MINUTE:-2}")
npm run -s sim -- --port "$SIM_PORT" --seed 1 --orders "$DEMO_ORDERS" --shops demo ${DEMO_HISTORY_END:+--history-end "$DEMO_HISTORY_END"} "${LIVE_ARGS[@]}" \
  --app-url "$SHOPIFY_APP_URL" --api-key "$SHOPIFY_API_KEY" --api-secret "$SHOPIFY_API_SECRET" > .cache/simulator.log 2>&1 &
SIM_PID=$!
APP_PID=""
trap 'kill $SIM_PID $APP_PID 2>/dev/null || true' EXIT INT TERM
# A million-order store takes a while to generate on a busy machine: wait up to 5 minutes.
for _ in $(seq 1 600); do
  curl -sf "${SHOPIFY_SIMULATOR_URL}/_sim/info" >/dev/null 2>&1 && break
  kill -0 $SIM_PID 2>/dev/null || { cat .cache/simulator.log >&2; exit 1; }
  sleep 0.5
done

echo
echo "  Shopify admin (open this):  ${SHOPIFY_SIMULATOR_URL}/store/demo/apps/${SHOPIFY_API_KEY}"
echo "  App server:                 ${SHOPIFY_APP_URL}"
echo
npx remix vite:dev --host 127.0.0.1 --port "$PORT" &
APP_PID=$!
wait $APP_PID
