# syntax=docker/dockerfile:1
# Multi-stage build of Tollgate's standalone Next.js server.
#   docker build -t tollgate .                      # the app (target: runner)
#   docker build --target migrator -t tollgate-migrate .   # applies migrations
#   docker build --target worker -t tollgate-worker .      # background jobs (npm run worker)

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
COPY emulator/package.json ./emulator/package.json
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build

# Applies prisma/migrations to DATABASE_URL and exits (docker-compose runs it
# before the app). Same migrations as `prisma migrate deploy`.
FROM deps AS migrator
COPY . .
CMD ["npx", "tsx", "scripts/db-migrate.ts"]

# The job-queue worker as its own process (webhook events, emails, dunning,
# reconcile, missed-event recovery, cleanup): `npm run worker`.
FROM deps AS worker
COPY . .
ENV NODE_ENV=production
USER node
CMD ["npx", "tsx", "--conditions=react-server", "scripts/worker.ts"]

FROM node:20-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.js"]
