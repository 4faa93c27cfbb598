// The interaction harness lives in src/testing (public as `replsim/testing`); the engine tests
// keep importing it from here.
export * from '../../src/testing/harness.js';
