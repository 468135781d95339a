// The context preparation script of jsPolicy, verbatim (pkg/vm/vm.go NewContext, loft-sh/jspolicy
// d524b26, identical in v0.2.2). It is followed there by os.Getenv("GLOBAL_CONTEXT") and "\n", which
// this runtime does not emulate (README.md).
export const PREPARE_SCRIPT = `
var exports = {};
var __response = {};
var __throw = (result) => {
	if (result?.__throw) {
		throw {reason: result.reason, message: result.message, toString: () => result.reason + ": " + result.message}
	}
	return result;
};
var exit = () => {
	__exit();
	while(true) {}
};
var warn = (message) => {
	if (!__response.warnings) {
		__response.warnings = [];
	}
	__response.warnings.push(message);
};
var deny = (message, reason, code) => {
        __response.deny = true;
        __response.message = message;
        __response.reason = reason;
        __response.code = code;
        exit();
};
var list = (kind, groupVersion, options) => {
	return __throw(__list(kind, groupVersion, options)).list;
};
var create = (object) => {
	return __throw(__create(object));
};
var update = (object) => {
	return __throw(__update(object));
};
var remove = (object) => {
	return __throw(__remove(object));
};
var get = (kind, groupVersion, name, options) => {
	if (options?.cache === 'smart') {
		return __throw(__get(kind, groupVersion, name)).object || __throw(__get(kind, groupVersion, name, {cache: false})).object;
	}
	
	return __throw(__get(kind, groupVersion, name, options)).object;
};
var allow = () => exit();
var mutate = (obj) => {
	__response.patched = obj;
	exit();
};
var fetchSync = (url, options) => {
	const res = __fetchSync(url, options);
	if (res.__throw) {
		throw(res.__throw);
	}

	return {
        text:       () => res.__body,
        json:       () => JSON.parse(res.__body),
		headers:    res.headers,
        status:     res.status,
        statusText: res.statusText,
        ok:         res.status >= 200 && res.status < 300
	}
};
var requeue = (message) => {
	__response.reschedule = true;
	__response.message = message;
	exit();
};

`;
