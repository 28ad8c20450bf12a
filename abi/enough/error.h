/** @file
 * enough ABI: why a flat call was refused or failed (enough_last_error_code).
 *
 * Positive codes, stable once published, so that bindings map them to their own
 * exceptions without matching message text. 0 means no call on this thread has been
 * refused. enough_last_error() gives the same event as a message for people.
 */
#ifndef ENOUGH_ABI_ERROR_H
#define ENOUGH_ABI_ERROR_H

#define ENOUGH_ERROR_NONE 0              /**< no call on this thread has been refused */
#define ENOUGH_ERROR_NULL_HANDLE 1       /**< a required handle (or callback) was NULL */
#define ENOUGH_ERROR_WRONG_KIND 2        /**< a source where a token was expected, or the reverse */
#define ENOUGH_ERROR_BAD_ARGUMENT 3      /**< an argument outside its documented range */
#define ENOUGH_ERROR_OUT_OF_MEMORY 4     /**< an allocation failed; nothing was changed */
#define ENOUGH_ERROR_UNSUPPORTED 5       /**< a foreign object does not offer the operation */
#define ENOUGH_ERROR_ALREADY_CANCELLED 6 /**< the source is cancelled, or can no longer be */
#define ENOUGH_ERROR_SYSTEM 7            /**< the operating system refused a resource */
#define ENOUGH_ERROR_FOREIGN_FAILURE 8   /**< a foreign object's method reported a failure */
#define ENOUGH_ERROR_NOT_EXPORTED 9      /**< a descriptor that is no exported token (of this version) */

#endif /* ENOUGH_ABI_ERROR_H */
