// Vitest setupFiles entry: resets this worker's namespace before every test (see useReset).
import { beforeEach } from "vitest";
import { resetForTest } from "./index.js";

beforeEach(resetForTest);
