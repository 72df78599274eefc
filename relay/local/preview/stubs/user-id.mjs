// Preview stand-in for @salesforce/user/Id: the emulated user this page acts as (see actor.mjs).
import { PREVIEW_USER_ID } from './actor.mjs';

export default PREVIEW_USER_ID;
