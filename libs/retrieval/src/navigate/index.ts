export * from './auto.router';
export * from './navigation.types';
export * from './navigator';
export { DEFAULT_WALK, type WalkSettings } from './tree.walker';
