// The mongodb container's healthcheck (mongosh --file). Healthy only once this
// node is the PRIMARY of its replica set and each service has its user; on the
// first run it initiates the single-node set, advertising
// MONGO_REPLICA_SET_HOST (the address the services' MONGODB_URL uses). The
// password comes from the environment, not the command line, so it does not
// show in the process list.
const admin = db.getSiblingDB("admin");
admin.auth(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD);

// While the image's first-start initialisation runs, mongod has no --replSet yet.
const replication = admin.adminCommand({ getCmdLineOpts: 1 }).parsed.replication || {};
const replicaSet = replication.replSetName || replication.replSet;
if (!replicaSet) {
  throw new Error("mongod is not running with --replSet (still initialising?)");
}

try {
  rs.status();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") {
    throw error;
  }
  const host = process.env.MONGO_REPLICA_SET_HOST;
  if (!host) {
    throw new Error("set MONGO_REPLICA_SET_HOST (e.g. mongodb:27017) to initiate the replica set");
  }
  rs.initiate({ _id: replicaSet, members: [{ _id: 0, host: host }] });
  print(`initiated replica set ${replicaSet} with member ${host}`);
}

if (!admin.hello().isWritablePrimary) {
  throw new Error(`not yet PRIMARY of replica set ${replicaSet}`);
}

// The services' users are made on the first start (service-users.js in
// /docker-entrypoint-initdb.d); a data volume from before them gets them here.
const serviceDatabases = ["registry", "submissions", "judging", "notifications", "voting"];
if (serviceDatabases.some((name) => db.getSiblingDB(name).getUser(name) === null)) {
  load("/opt/kim/mongodb/service-users.js");
}
