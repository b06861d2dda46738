import { twice } from "./util";

export const answer: number = twice(21);
