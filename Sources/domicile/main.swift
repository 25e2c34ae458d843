import DomicileCLI
import Foundation

exit(DomicileMain.run(Array(CommandLine.arguments.dropFirst())))
