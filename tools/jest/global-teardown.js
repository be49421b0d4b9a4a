module.exports = async function globalTeardown() {
  const infra = globalThis.__PROFILE_GROUPS_INFRA__;
  if (infra) await infra.stop();
};
