import Foundation

/// Why reading `path` failed, as a short phrase for a one-line error ("no such file", "is a
/// directory, not a file", "permission denied"), instead of Foundation's
/// `NSCocoaErrorDomain error 256` or its "The file … doesn't exist".
package func fileProblem(reading path: String, _ error: any Error) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
    if isDirectory.boolValue { return "is a directory, not a file" }
    return systemReason(error)
}

/// Why writing `path` failed: a missing folder is named, a directory in the file's place said.
package func fileProblem(writing path: String, _ error: any Error) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
        return "the folder \(folder) does not exist"
    }
    if !folder.isEmpty, !isDirectory.boolValue { return "\(folder) is not a folder" }
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        return "is a directory"
    }
    return systemReason(error)
}

/// The POSIX reason under a Foundation error (`strerror`), else its description.
private func systemReason(_ error: any Error) -> String {
    let error = error as NSError
    let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
    if let posix, posix.domain == NSPOSIXErrorDomain, let reason = strerror(Int32(posix.code)) {
        return String(cString: reason).lowercased()
    }
    return error.localizedDescription
}
