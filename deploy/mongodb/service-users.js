// One MongoDB user per service, each with readWrite on its own database only,
// defined in that database (the services' URLs say authSource=<database>).
// Passwords come from the environment (MONGO_<SERVICE>_PASSWORD), never the
// command line. A user that exists gets its password and roles set again.
//
// Runs on the first start from /docker-entrypoint-initdb.d (the image runs it
// once, against a temporary mongod without --replSet, right after making the
// root user); from the healthcheck when a user is missing (a data volume made
// before these users); and by hand after changing a password in .env:
//   docker compose exec mongodb mongosh --quiet --norc \
//     "mongodb://127.0.0.1:27017/admin?directConnection=true" \
//     --file /opt/kim/mongodb/service-users.js
(function () {
  const services = ["registry", "submissions", "judging", "notifications", "voting"];

  const status = db.getSiblingDB("admin").runCommand({ connectionStatus: 1 });
  if (status.authInfo.authenticatedUsers.length === 0) {
    db.getSiblingDB("admin").auth(
      process.env.MONGO_INITDB_ROOT_USERNAME,
      process.env.MONGO_INITDB_ROOT_PASSWORD,
    );
  }

  for (const service of services) {
    const variable = `MONGO_${service.toUpperCase()}_PASSWORD`;
    const password = process.env[variable];
    if (!password) {
      throw new Error(`set ${variable} (see .env.example)`);
    }
    const database = db.getSiblingDB(service);
    const roles = [{ role: "readWrite", db: service }];
    if (database.getUser(service) === null) {
      database.createUser({ user: service, pwd: password, roles: roles });
      print(`created MongoDB user ${service}: readWrite on ${service}`);
    } else {
      database.updateUser(service, { pwd: password, roles: roles });
      print(`updated MongoDB user ${service}: readWrite on ${service}`);
    }
  }
})();
