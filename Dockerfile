# newsline: the CLI and workers, compiled.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim
ENV NODE_ENV=production
# A larger young generation: pages allocate much that dies young, and it is collected less often.
# It trades memory for throughput (docs/scaling.md); it is a ceiling, so a process that allocates
# little stays small.
ENV NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
# The embedded store (when DATABASE_URL is unset) writes here: a volume the unprivileged user owns.
ENV NEWSLINE_DATA_DIR=/app/data
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
USER node
ENTRYPOINT ["node", "bin/newsline.js"]
CMD ["start"]
