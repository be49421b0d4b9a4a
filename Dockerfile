# One image for the three apps. The app to run is picked by APP (build arg or runtime env)
# or by an explicit command, as docker-compose.yml and k8s/ do:
#   docker build -t profile-groups-app .
#   docker run -e APP=evaluation-worker profile-groups-app
# engines.node in package.json asks for >= 20.19.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Only what the build reads; node_modules, .local and dist of the host stay out.
COPY tsconfig.base.json tsconfig.json nx.json .swcrc ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
# Produces dist/apps/<app>/src/main.js with library imports rewritten to relative paths.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
ARG APP=command-api
# Apps bind to 127.0.0.1 unless told otherwise; in a container that would be unreachable.
ENV APP=${APP} HOST=0.0.0.0
USER node
# exec makes node PID 1, so it receives SIGTERM from `docker stop` and Kubernetes.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
