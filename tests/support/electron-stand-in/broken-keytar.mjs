// What loading keytar's native module throws where libsecret is not installed (dlopen's message).
throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
// Never reached; keeps `import keytar from 'keytar'` linkable so the failure is the load itself.
export default {};
