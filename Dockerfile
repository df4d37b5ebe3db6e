# netinsights images, built from this repository with the README's own steps.
#
#   docker build --target server -t netinsights-server .
#   docker run -p 8443:8443 -v ni-data:/var/lib/netinsights netinsights-server
#   docker build --target agent -t netinsights-agent .      # an office box
#   docker run -e NETINSIGHTS_ENROLL=nie_… netinsights-agent --collector https://ni.example.com
#
# test/dockerfile.test.ts runs the build stage's RUN steps in a clean copy of
# the repository without Docker, and checks what each stage starts.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# What `npm start` does before it serves: install, build the dashboard and the endpoint probe.
RUN npm install --no-audit --no-fund --loglevel=error
RUN node scripts/build-web-if-stale.ts
RUN node scripts/build-probe-if-stale.ts
# The office-box agent: one executable, Node 24 inside (npm run build:agent, this platform only).
RUN node scripts/build-agent.ts --target linux-x64

FROM node:24-bookworm-slim AS server
WORKDIR /app
COPY --from=build /app /app
RUN rm -rf .cache/node-dist .cache/agent-build packages/probe/dist/bin \
 && mkdir -p /var/lib/netinsights && chown node:node /var/lib/netinsights
USER node
VOLUME /var/lib/netinsights
EXPOSE 8443
CMD ["node", "packages/cli/bin/netinsights.ts", "serve", "--db", "/var/lib/netinsights/ni.db", "--host", "0.0.0.0", "--port", "8443"]

FROM debian:bookworm-slim AS agent
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/packages/probe/dist/bin/netinsights-agent-linux-x64 /usr/local/bin/netinsights-agent
# No root: the agent only needs its state folder.
RUN mkdir -p /var/lib/netinsights-agent && chown 65534:65534 /var/lib/netinsights-agent
USER 65534
ENV XDG_STATE_HOME=/var/lib/netinsights-agent
VOLUME /var/lib/netinsights-agent
ENTRYPOINT ["/usr/local/bin/netinsights-agent", "agent", "--state", "/var/lib/netinsights-agent"]
