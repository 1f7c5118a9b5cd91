// Preloaded into Comunica's node processes (NODE_OPTIONS=--require): its SPARQL endpoint
// calls server.listen(port), which binds every interface; bind 127.0.0.1 only instead.
"use strict";
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && (args.length === 1 || typeof args[1] === "function")) {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
