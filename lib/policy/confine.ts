// Confinement, second line (the linter is the first): the top of every generated policy takes away
// from the run what a generated policy must never reach. jsPolicy gives every run a fresh V8 context,
// so what this changes holds for the whole run and for nothing else.
//
// jsPolicy's natives (__get, __list, __create, __update, __remove, __fetchSync, env, readFileSync,
// sleep, print, atob, btoa, __exit) are global properties set with v8go.ReadOnly only
// (pkg/vm/vm.go): not writable, but configurable, so they can be deleted. create/update/remove/
// fetchSync/requeue/get/list are `var`s of the prepare script: writable, so they can be replaced.
// After this prologue, no name, no path through globalThis, Function or a prototype leads to a
// write, an HTTP call, an environment variable, a file or a Secret: the functions are gone from the
// global object itself. get/list stay, read-only, through captured natives, and refuse Secrets.
//
// Expanded:
//   (function (g) {                       // g: the global object (globalThis: webpack, which jsPolicy
//                                         //   bundles spec.javascript with, may change `this`)
//     var G = g.__get, L = g.__list;
//     function no() { throw { reason: "Forbidden", message: "...", toString: ... }; }  // like jsPolicy's own throws
//     function secret(k) { … }  // non-strings refused; lower-cased with operators only (String and
//                               //   its prototype could be replaced by the candidate), then compared
//     function t(r) { if (r && r.__throw) throw { reason, message, toString }; return r; }   // = __throw
//     g.get = function (k, v, n, o) { ... the prepare script's get, over G, refusing Secrets ... };
//     g.list = function (k, v, o) { ... over L, refusing Secrets ... };
//     create, update, remove, fetchSync, requeue = no;
//     delete __get, __list, __create, __update, __remove, __fetchSync, env, readFileSync, sleep;
//   })(globalThis);

const REFUSAL = 'gptpolicy: a generated policy may not do this';

export const CONFINE_PROLOGUE =
  '(function(g){var G=g.__get,L=g.__list;' +
  `function x(r,m){throw{reason:r,message:m,toString:function(){return r+": "+m}}}` +
  `function no(){x("Forbidden",${JSON.stringify(REFUSAL)})}` +
  // Only primitives and operators: the candidate could replace String or its prototype's methods.
  'var U="ABCDEFGHIJKLMNOPQRSTUVWXYZ",W="abcdefghijklmnopqrstuvwxyz";' +
  'function sec(k){if(typeof k!=="string")no();var o="";for(var i=0;i<k.length;i++){var c=k[i];for(var j=0;j<26;j++)if(c===U[j]){c=W[j];break}o+=c}' +
  'return o==="secret"||o==="secrets"||o==="secretlist"}' +
  'function t(r){if(r&&r.__throw)x(r.reason,r.message);return r}' +
  'g.get=function(k,v,n,o){if(sec(k))no();' +
  'if(o&&o.cache==="smart")return t(G(k,v,n)).object||t(G(k,v,n,{cache:false})).object;' +
  'return t(G(k,v,n,o)).object};' +
  'g.list=function(k,v,o){if(sec(k))no();return t(L(k,v,o)).list};' +
  '["create","update","remove","fetchSync","requeue"].forEach(function(n){g[n]=no});' +
  '["__get","__list","__create","__update","__remove","__fetchSync","env","readFileSync","sleep"].forEach(function(n){delete g[n]})' +
  '})(globalThis);\n';
