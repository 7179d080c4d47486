# syntax=docker/dockerfile:1
# The app's production image, in the manner of Shopify's Remix app template
# (github.com/Shopify/shopify-app-template-remix, Dockerfile): Node 22 on Alpine, `npm ci`, build,
# and the database migrations applied when the container starts (`npm run docker-start`).
# Configuration comes from the environment (README "Configuration"); on PostgreSQL any number
# of containers can share one database (README "Deploying").

# 1. Build with every package (the Remix/Vite build needs the dev packages).
FROM node:22-alpine AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

# 2. Run with the production packages only.
FROM node:22-alpine
EXPOSE 3000
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=file:/data/app.sqlite
# The migration tool (scripts/db) and the Prisma client generation (postinstall) read these.
COPY package.json package-lock.json tsconfig.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY app ./app
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
# The embedded SQLite database lives on a volume; PostgreSQL deployments set DATABASE_URL.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
# Migrations first (idempotent; PostgreSQL serialises concurrent starts), then the server,
# which also runs the sync worker unless SYNC_WORKER=off.
CMD ["npm", "run", "docker-start"]
