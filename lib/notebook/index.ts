export * from './profile.js';
export * from './display.js';
export * from './environment.js';
